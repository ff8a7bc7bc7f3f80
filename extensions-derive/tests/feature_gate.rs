//! A date-time field without its feature of extensions-core: one error per field, at it, saying
//! which feature to enable, where there were one per generated use of the type.
//!
//! The derive's compile-fail cases (`compiletest.rs`) build against extensions-core with every
//! feature on, so this case builds a crate of its own against extensions-core without `time`:
//! offline, with the workspace's `Cargo.lock`, its target directory under this test's scratch
//! space.

use std::path::Path;
use std::process::Command;

#[test]
fn a_date_time_field_without_its_feature_is_one_error() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("feature-gate");
    let src = tmp.join("src");
    std::fs::create_dir_all(&src).expect("a scratch crate");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    std::fs::write(
        tmp.join("Cargo.toml"),
        format!(
            r#"[package]
name = "feature-gate"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
extensions-core = {{ path = "{}" }}
time = "0.3"
chrono = {{ version = "0.4", default-features = false }}

[workspace]
"#,
            workspace.join("extensions-core").display()
        ),
    )
    .expect("a manifest");
    std::fs::copy(workspace.join("Cargo.lock"), tmp.join("Cargo.lock")).expect("the lock file");
    std::fs::write(
        src.join("main.rs"),
        r#"use extensions_core::prelude::*;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    course_id: i32,
    starts: Option<time::OffsetDateTime>,
    ends: chrono::DateTime<chrono::Utc>,
}

fn main() {
    let _ = Course::definition();
    let _ = Course::changes();
}
"#,
    )
    .expect("a main");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&tmp)
        .env("CARGO_TARGET_DIR", tmp.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("error") && !l.starts_with("error: could not compile"))
        .collect();
    // One error per field, each naming its feature, whichever features are missing.
    assert_eq!(errors.len(), 2, "{err}");
    assert!(
        errors.iter().any(|e| e.contains("src/main.rs:7:")
            && e.contains(
                "field `starts`: this date-time type needs the feature `time` of extensions-core"
            )),
        "{err}"
    );
    assert!(
        errors.iter().any(|e| e.contains("src/main.rs:8:")
            && e.contains(
                "field `ends`: this date-time type needs the feature `chrono` of extensions-core"
            )),
        "{err}"
    );
}
