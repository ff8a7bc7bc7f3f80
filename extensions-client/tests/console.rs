//! The emulator's web console, as a person meets it: a real headless Chromium (Debian's
//! `chromium`, found on the machine, never downloaded) driven over the DevTools protocol,
//! against a running emulator that this crate's client writes to.
//!
//! Without a browser the test says so and passes (`cargo test --workspace` must pass on any
//! machine); CI installs `chromium` and sets `CONSOLE_BROWSER_REQUIRED=1`, which turns a missing
//! browser into a failure. Run it alone with `cargo test -p extensions-client --test console`;
//! set `CHROME=/path/to/chromium` for a browser elsewhere, and `UPDATE_SCREENSHOT=1` to write
//! the README's screenshot (`docs/console.png`) again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Referral, TOKEN, client, config, referral};
use extensions_core::prelude::*;
use extensions_emulator::{Emulator, FaultRule, Faults, Seed, Throttle};
use headless_chrome::protocol::cdp::{Emulation, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// The browser: `$CHROME` (when it names a file), else the first of Chromium's and Chrome's
/// usual names on `PATH`.
fn browser_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// Runs `expr` (a JavaScript expression, awaited when it is a promise) in the page and returns
/// its value, passed through JSON.
fn js(tab: &Tab, expr: &str) -> Value {
    let wrapped = format!("(async () => JSON.stringify(await ({expr})))()");
    let result = tab.evaluate(&wrapped, true).expect("evaluate");
    match result.value {
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// Waits until `expr` is true in the page, up to `limit`; returns how long it took.
fn wait_for(tab: &Tab, expr: &str, limit: Duration, what: &str) -> Duration {
    let start = Instant::now();
    loop {
        if js(tab, expr) == Value::Bool(true) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "{what}: not seen within {limit:?} (checked: {expr})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn viewport(tab: &Tab, width: u32, height: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: false,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

fn show_tab(tab: &Tab, name: &str) {
    js(
        tab,
        &format!("document.getElementById('tab-{name}').click()"),
    );
    wait_for(
        tab,
        &format!("!document.getElementById('panel-{name}').hidden"),
        Duration::from_secs(5),
        name,
    );
}

/// `Accessibility.getFullAXTree`, read as plain JSON: the crate's generated types lag the
/// browser's protocol (Chromium 148 sends property names they do not know).
#[derive(Debug, serde::Serialize)]
struct FullAxTree {}

impl headless_chrome::protocol::cdp::types::Method for FullAxTree {
    const NAME: &'static str = "Accessibility.getFullAXTree";
    type ReturnObject = Value;
}

/// Roles a person operates: each needs a name a screen reader can say.
const OPERABLE: [&str; 12] = [
    "button",
    "link",
    "textbox",
    "searchbox",
    "combobox",
    "checkbox",
    "tab",
    "listbox",
    "menuitem",
    "radio",
    "spinbutton",
    "switch",
];

/// WCAG 2.1's contrast minimum (success criterion 1.4.3), measured in the page: for each element
/// that shows text, the ratio of its computed colour to the background behind it (its own and
/// its ancestors' background colours, composed with their alpha over white), at least 4.5:1, or
/// 3:1 for large text (24 px, or 18.66 px bold). Text over a picture or over an element that is
/// not its ancestor is not measured; the console has neither. Returns how many elements were
/// measured and the ones that fall short.
const CONTRAST: &str = r##"(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reduceRight((bg, layer) => over(layer, bg), [255, 255, 255, 1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const short = [], unread = [];
  let measured = 0;
  const seen = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const style = getComputedStyle(el);
    const bg = behind(el), fg = parse(style.color);
    const what = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${n.textContent.trim().slice(0, 30)}"`;
    if (!fg) { unread.push(`${what}: colour ${style.color}`); continue; }
    const a = luminance(over(fg, bg)), b = luminance(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    measured++;
    if (ratio < need) short.push(`${what}: ${ratio.toFixed(2)}:1 < ${need}:1`);
  }
  return { measured, short, unread };
})()"##;

/// The accessibility check: Chromium's own accessibility tree (what screen readers get, read
/// over the DevTools protocol's `Accessibility.getFullAXTree`), checked against these rules:
/// every operable control and every image has a name, the page has a language, a title and
/// one level-1 heading, and no id is used twice; and every visible text's contrast measured
/// against WCAG's minimum ([`CONTRAST`]). Returns the problems found.
fn accessibility_problems(tab: &Tab) -> Vec<String> {
    let mut problems = Vec::new();
    let contrast = js(tab, CONTRAST);
    if contrast["measured"].as_u64().unwrap_or(0) < 7 {
        problems.push(format!(
            "the contrast check measured too little text: {contrast}"
        ));
    }
    for list in ["short", "unread"] {
        for item in contrast[list].as_array().into_iter().flatten() {
            problems.push(format!("contrast: {}", item.as_str().unwrap_or_default()));
        }
    }
    let tree = tab.call_method(FullAxTree {}).unwrap();
    let mut operable = 0;
    for node in tree["nodes"].as_array().expect("nodes") {
        if node["ignored"] == true {
            continue;
        }
        let role = node["role"]["value"].as_str().unwrap_or_default();
        let name = node["name"]["value"].as_str().unwrap_or_default().trim();
        if OPERABLE.contains(&role) || role == "img" || role == "image" {
            operable += 1;
            if name.is_empty() {
                problems.push(format!("a {role} without a name (node {})", node["nodeId"]));
            }
        }
    }
    // The header alone has seven (the tenant and six tabs).
    if operable < 7 {
        problems.push(format!(
            "only {operable} operable nodes in the tree: the check did not see the page"
        ));
    }
    let page = js(
        tab,
        "({lang: document.documentElement.lang, title: document.title, \
          h1: document.querySelectorAll('h1').length, \
          dupes: [...document.querySelectorAll('[id]')].map(e => e.id).filter((id, i, all) => all.indexOf(id) !== i)})",
    );
    if page["lang"].as_str().unwrap_or_default().is_empty() {
        problems.push("the page has no lang".into());
    }
    if page["title"].as_str().unwrap_or_default().is_empty() {
        problems.push("the page has no title".into());
    }
    if page["h1"] != 1 {
        problems.push(format!("{} level-1 headings", page["h1"]));
    }
    if page["dupes"].as_array().is_some_and(|d| !d.is_empty()) {
        problems.push(format!("ids used twice: {}", page["dupes"]));
    }
    problems
}

/// Whether the page fits its window: nothing wider than the viewport, every tab visible.
fn fits(tab: &Tab) -> Value {
    js(
        tab,
        "({fits: document.documentElement.scrollWidth <= window.innerWidth + 1, \
           width: document.documentElement.scrollWidth, inner: window.innerWidth, \
           tabs: [...document.querySelectorAll('[role=tab]')].every(t => { const r = t.getBoundingClientRect(); return r.width > 0 && r.right <= window.innerWidth + 1; })})",
    )
}

#[test]
fn the_console_in_a_real_browser() {
    let Some(chrome) = browser_path() else {
        assert!(
            std::env::var_os("CONSOLE_BROWSER_REQUIRED").is_none(),
            "CONSOLE_BROWSER_REQUIRED is set and no Chromium was found: install it (apt-get install chromium) or set CHROME"
        );
        // Written to the process's standard error, past the test harness's capture, so
        // `cargo test` shows it even though the test passes.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED the console's browser test (extensions-client/tests/console.rs): no Chromium found \
             (looked for $CHROME, then chromium, chromium-browser, google-chrome on PATH). \
             Install it (Debian: apt-get install chromium) and run: cargo test -p extensions-client --test console\n"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The sample seed: every kind of extension data on u1 (an open extension, a directory
    // extension value, an extension attribute) and an application with its definition.
    let seed =
        Seed::from_json(include_str!("../../extensions-emulator/seed.example.json")).unwrap();
    let mut cfg = config(seed);
    // Every request under /users/u1/events is answered 503 while faults are on.
    cfg.faults = Faults {
        seed: 1,
        rules: vec![FaultRule {
            path_prefix: Some("/users/u1/events".into()),
            error_rate: 1.0,
            error_statuses: vec![503],
            ..FaultRule::default()
        }],
    };
    let emu = rt.block_on(Emulator::start(cfg)).unwrap();
    let c = client(&emu);
    let http = reqwest::Client::new();

    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chrome))
            // Test machines run as root, where Chromium's sandbox cannot start.
            .sandbox(false)
            .window_size(Some((1280, 800)))
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    )
    .expect("launch Chromium");
    let tab: Arc<Tab> = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(20));
    viewport(&tab, 1280, 800);

    // Without the admin token: refused, in the browser as on the wire.
    let stranger = browser.new_context().unwrap().new_tab().unwrap();
    stranger
        .navigate_to(&format!("{}/_emulator/", emu.base_url()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    assert!(stranger.get_title().unwrap().contains("admin token needed"));
    let graph_token = rt.block_on(
        http.get(format!("{}/_emulator/api/requests", emu.base_url()))
            .bearer_auth(TOKEN)
            .send(),
    );
    assert_eq!(graph_token.unwrap().status(), 401);

    // Opened with the printed URL: the token sets the cookie and leaves the address bar.
    tab.navigate_to(&emu.console_url())
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.body.dataset.ready === 'true'",
        Duration::from_secs(10),
        "the console starts",
    );
    let url = tab.get_url();
    assert!(url.ends_with("/_emulator/#data"), "{url}");
    assert!(!url.contains("token"), "{url}");
    // The cookie is out of the page's reach (HttpOnly).
    assert_eq!(js(&tab, "document.cookie"), "");
    wait_for(
        &tab,
        "document.getElementById('live').textContent === 'live'",
        Duration::from_secs(5),
        "the live stream",
    );

    // u1's page shows each kind of extension data the seed gave it.
    js(
        &tab,
        "document.querySelector('#resources [data-id=\"u1\"]').click()",
    );
    wait_for(
        &tab,
        "document.querySelector('#resource h2')?.textContent.includes('u1')",
        Duration::from_secs(5),
        "u1's page",
    );
    let page = js(&tab, "document.getElementById('resource').innerText");
    let page = page.as_str().unwrap();
    for shown in [
        "com.contoso.Settings",
        "Directory extension values",
        "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup",
        "extensionAttribute13",
        "CC-4410",
        "Annual review",
        "Call Pavel",
    ] {
        assert!(page.contains(shown), "{shown} is not on u1's page: {page}");
    }

    // A schema extension registered and written over HTTP shows in Definitions (with its
    // owner's count against the limit of five) and on u1's page.
    let registered = rt
        .block_on(
            http.post(format!("{}/schemaExtensions", emu.url()))
                .bearer_auth(TOKEN)
                .json(&serde_json::json!({
                    "id": "contoso_courses",
                    "description": "Courses",
                    "targetTypes": ["User"],
                    "properties": [{"name": "courseName", "type": "String"}]
                }))
                .send(),
        )
        .unwrap();
    assert_eq!(registered.status(), 201);
    let written = rt
        .block_on(
            http.patch(format!("{}/users/u1", emu.url()))
                .bearer_auth(TOKEN)
                .json(&serde_json::json!({"contoso_courses": {"courseName": "Physics 101"}}))
                .send(),
        )
        .unwrap();
    assert_eq!(written.status(), 204);
    show_tab(&tab, "definitions");
    wait_for(
        &tab,
        "(() => { const row = [...document.querySelectorAll('#schema-table tbody tr')].find(r => r.cells[0].textContent === 'contoso_courses'); \
           return !!row && row.cells[1].textContent === 'InDevelopment' && row.cells[2].textContent.includes('this tenant') && row.cells[3].textContent === 'app' && row.cells[4].textContent.startsWith('1 of 5'); })()",
        Duration::from_secs(5),
        "the new definition",
    );
    let defs = js(&tab, "document.getElementById('directory-defs').innerText");
    assert!(
        defs.as_str().unwrap().contains("Team bonding")
            && defs.as_str().unwrap().contains("jobGroup"),
        "{defs}"
    );
    show_tab(&tab, "data");
    wait_for(
        &tab,
        "document.querySelector('#resource [data-schema=\"contoso_courses\"]')?.textContent.includes('Physics 101') === true",
        Duration::from_secs(5),
        "the schema data on u1's page",
    );

    // Values are shown as text, never as markup: a display name that is HTML stays text.
    let hostile = rt
        .block_on(
            http.post(format!("{}/users", emu.url()))
                .bearer_auth(TOKEN)
                .json(&serde_json::json!({
                    "displayName": "<img src=x onerror=\"window.__xss=1\">Mallory",
                    "userPrincipalName": "mallory@contoso.com",
                    "mailNickname": "mallory",
                    "accountEnabled": true,
                    "passwordProfile": {"password": "Mallory-Pa55!"}
                }))
                .send(),
        )
        .unwrap();
    assert_eq!(hostile.status(), 201);
    js(
        &tab,
        "(() => { const s = document.getElementById('search'); s.value = 'mallory'; s.dispatchEvent(new Event('input')); })()",
    );
    wait_for(
        &tab,
        "document.getElementById('matched').textContent === '1 resource'",
        Duration::from_secs(5),
        "the search",
    );
    js(&tab, "document.querySelector('#resources button').click()");
    wait_for(
        &tab,
        "document.getElementById('resource').textContent.includes('Mallory')",
        Duration::from_secs(5),
        "Mallory's page",
    );
    assert_eq!(
        js(
            &tab,
            "document.querySelectorAll('#resources img, #resource img').length === 0 && window.__xss === undefined"
        ),
        true
    );
    assert!(
        js(&tab, "document.getElementById('resource').textContent")
            .as_str()
            .unwrap()
            .contains("<img src=x")
    );
    js(
        &tab,
        "(() => { const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input')); })()",
    );
    wait_for(
        &tab,
        "!!document.querySelector('#resources [data-id=\"u1\"]')",
        Duration::from_secs(5),
        "the whole list again",
    );
    js(
        &tab,
        "document.querySelector('#resources [data-id=\"u1\"]').click()",
    );
    wait_for(
        &tab,
        "document.querySelector('#resource h2')?.textContent.includes('u1')",
        Duration::from_secs(5),
        "u1's page again",
    );

    // A PATCH made through the client shows on its user's page and in the request log.
    let user = Resource::user("u1");
    rt.block_on(referral().create(&c, &user)).unwrap();
    let mut changed = referral();
    changed.company_name = "Contoso Pharmaceuticals".into();
    rt.block_on(changed.patch(&c, &user)).unwrap();
    let on_page = wait_for(
        &tab,
        "document.querySelector('#resource [data-extension=\"com.contoso.Referral\"]')?.textContent.includes('Contoso Pharmaceuticals') === true",
        Duration::from_secs(1),
        "the PATCH on u1's page",
    );
    let in_log = wait_for(
        &tab,
        "[...document.querySelectorAll('#request-table tbody tr')].some(r => r.cells[1].textContent === 'PATCH' && r.cells[2].textContent.includes('/users/u1/extensions/com.contoso.Referral') && r.cells[3].textContent === '204')",
        Duration::from_secs(1),
        "the PATCH in the request log",
    );
    eprintln!("the PATCH showed on u1's page after {on_page:?} and in the log after {in_log:?}");

    // Its bodies were kept (the console was open), the token redacted.
    js(
        &tab,
        "[...document.querySelectorAll('#request-table tbody tr')].find(r => r.cells[1].textContent === 'PATCH').querySelector('button').click()",
    );
    show_tab(&tab, "requests");
    wait_for(
        &tab,
        "document.getElementById('request-detail').textContent.includes('Contoso Pharmaceuticals')",
        Duration::from_secs(5),
        "the PATCH's body",
    );
    let detail = js(
        &tab,
        "document.getElementById('request-detail').textContent",
    );
    let detail = detail.as_str().unwrap();
    assert!(detail.contains("«redacted»"), "{detail}");
    assert!(!detail.contains(TOKEN), "the token is shown: {detail}");

    if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        show_tab(&tab, "data");
        let png = tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/console.png");
        std::fs::write(&path, png).unwrap();
        eprintln!("wrote {}", path.display());
    }

    // A fault turned on shows as injected; turned off, nothing is injected.
    show_tab(&tab, "controls");
    assert_eq!(
        js(&tab, "document.getElementById('control-faults').checked"),
        true
    );
    js(&tab, "document.getElementById('control-faults').click()");
    wait_for(
        &tab,
        "document.getElementById('faults-hint').textContent.includes('not injecting')",
        Duration::from_secs(5),
        "faults off",
    );
    let events = format!("{}/users/u1/events/AAMkAGe1=", emu.url());
    let off = rt
        .block_on(http.get(&events).bearer_auth(TOKEN).send())
        .unwrap();
    assert_eq!(off.status(), 200);
    js(&tab, "document.getElementById('control-faults').click()");
    wait_for(
        &tab,
        "document.getElementById('faults-hint').textContent.includes('; injecting')",
        Duration::from_secs(5),
        "faults on",
    );
    let on = rt
        .block_on(http.get(&events).bearer_auth(TOKEN).send())
        .unwrap();
    assert_eq!(on.status(), 503);
    show_tab(&tab, "requests");
    wait_for(
        &tab,
        "(() => { const rows = [...document.querySelectorAll('#request-table tbody tr')].filter(r => r.cells[2].textContent.endsWith('/users/u1/events/AAMkAGe1=')); \
           return rows.length === 2 && rows[0].cells[5].textContent === 'fault: injected 503' && rows[0].cells[3].textContent === '503' \
           && rows[1].cells[5].textContent === '' && rows[1].cells[3].textContent === '200'; })()",
        Duration::from_secs(5),
        "the injected fault in the log (newest first), and the request before it without one",
    );
    // The filter keeps what the emulator did.
    js(
        &tab,
        "(() => { const s = document.getElementById('filter-status'); s.value = 'emulator'; s.dispatchEvent(new Event('input')); })()",
    );
    let notes = js(
        &tab,
        "[...document.querySelectorAll('#request-table tbody tr')].map(r => r.cells[5].textContent)",
    );
    let notes = notes.as_array().unwrap();
    assert!(
        !notes.is_empty() && notes.iter().all(|n| !n.as_str().unwrap().is_empty()),
        "{notes:?}"
    );
    js(
        &tab,
        "(() => { const s = document.getElementById('filter-status'); s.value = ''; s.dispatchEvent(new Event('input')); })()",
    );

    // A throttled run shows its 429s in the chart's data.
    emu.set_throttle(Throttle {
        requests: 5,
        window: Duration::from_secs(10),
    });
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let r = rt
            .block_on(
                http.get(format!("{}/users/u1", emu.url()))
                    .bearer_auth(TOKEN)
                    .send(),
            )
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(refused >= 6, "{statuses:?}");
    show_tab(&tab, "throttling");
    wait_for(
        &tab,
        &format!(
            "Number(document.querySelector('.chart[data-app=\"app\"]')?.dataset.throttled) >= {refused}"
        ),
        Duration::from_secs(5),
        "the 429s in the chart",
    );
    let rows = js(
        &tab,
        "[...document.querySelectorAll('.chart[data-app=\"app\"] tbody tr')].map(r => [...r.cells].map(c => c.textContent))",
    );
    let throttled_in_table: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[2].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert!(throttled_in_table >= refused as u64, "{rows}");
    let label = js(
        &tab,
        "document.querySelector('.chart[data-app=\"app\"] svg').getAttribute('aria-label')",
    );
    assert!(label.as_str().unwrap().contains("answered 429"), "{label}");
    emu.set_throttle(Throttle::unlimited());

    // The page at 1280×800 and in a narrow window: it fits, and passes the accessibility check
    // on every section.
    for (width, height) in [(1280, 800), (390, 800)] {
        viewport(&tab, width, height);
        for name in [
            "data",
            "definitions",
            "requests",
            "throttling",
            "controls",
            "try",
        ] {
            show_tab(&tab, name);
            // `CONSOLE_SHOTS=DIR`: a picture of each section at each size, to look at.
            if let Some(dir) = std::env::var_os("CONSOLE_SHOTS") {
                let png = tab
                    .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
                    .unwrap();
                std::fs::write(PathBuf::from(dir).join(format!("{name}-{width}.png")), png)
                    .unwrap();
            }
            let f = fits(&tab);
            assert_eq!(f["fits"], true, "{name} at {width}×{height}: {f}");
            assert_eq!(f["tabs"], true, "{name} at {width}×{height}: {f}");
            let problems = accessibility_problems(&tab);
            assert!(
                problems.is_empty(),
                "{name} at {width}×{height}: {problems:?}"
            );
        }
    }
    viewport(&tab, 1280, 800);

    // The request box sends as a configured app, and the answer shows beside it.
    show_tab(&tab, "try");
    js(
        &tab,
        "(() => { document.getElementById('try-path').value = '/v1.0/users/u1?$select=id,displayName'; document.querySelector('#try-form button[type=submit]').click(); })()",
    );
    wait_for(
        &tab,
        "document.getElementById('try-answer').textContent.startsWith('HTTP 200')",
        Duration::from_secs(5),
        "the request box's answer",
    );

    // Reset empties what the run wrote.
    show_tab(&tab, "controls");
    js(&tab, "document.getElementById('reset').click()");
    wait_for(
        &tab,
        "document.getElementById('reset-status').textContent.startsWith('Reset:')",
        Duration::from_secs(5),
        "the reset",
    );
    show_tab(&tab, "data");
    wait_for(
        &tab,
        "document.querySelector('#resource h2')?.textContent.includes('u1') \
         && !document.querySelector('#resource [data-extension=\"com.contoso.Referral\"]') \
         && !!document.querySelector('#resource [data-extension=\"com.contoso.Settings\"]') \
         && !document.querySelector('#resource [data-schema]') \
         && document.querySelector('#resource .kind-open h3').textContent === 'Open extensions (1)'",
        Duration::from_secs(5),
        "u1 as seeded after the reset: the run's open extension and schema data gone, the seed's extension there",
    );
    show_tab(&tab, "definitions");
    wait_for(
        &tab,
        "![...document.querySelectorAll('#schema-table tbody tr')].some(r => r.cells[0].textContent === 'contoso_courses')",
        Duration::from_secs(5),
        "the run's definition gone after the reset",
    );
    assert_eq!(rt.block_on(Referral::get(&c, &user)).unwrap(), None);
}
