//! `--where`: a small filter language over an extension's properties, evaluated client-side
//! (open extensions support no server-side filter).
//!
//! ```text
//! theme == "dark" && fontSize >= 12
//! !(beta) || tags == ["a", "b"]
//! plan != null && (tier == 'gold' || seats > 100)
//! ```
//!
//! Operands are property names (letters, digits, `_`, `-`, `.`), strings in `"…"` or `'…'`,
//! numbers, `true`, `false`, `null`, and arrays of those. `==` and `!=` compare JSON values
//! (numbers by value); `<`, `<=`, `>`, `>=` compare two numbers or two strings and are false
//! otherwise; a missing property is `null`; a bare operand is true unless it is `null` or
//! `false`. `&&` binds tighter than `||`; `!` negates. Parentheses and arrays nest at most
//! [`MAX_DEPTH`] deep; chains of `&&` and `||` and runs of `!` are not nesting, and any length
//! of them is read and evaluated without recursion.

use serde_json::{Map, Value};

/// How deep parentheses and arrays may nest: deeper input is refused with a clear message
/// rather than read by a recursion that could overflow the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// How much of the expression an error message quotes.
const QUOTED_CHARS: usize = 120;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// Any of these (two or more).
    Or(Vec<Expr>),
    /// All of these (two or more).
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cmp(Operand, Op, Operand),
    Truthy(Operand),
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A property or a literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Property(String),
    Literal(Value),
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    /// Parentheses and arrays open at `pos`.
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, what: &str) -> Result<T, String> {
        let quoted: String = self.s.chars().take(QUOTED_CHARS).collect();
        let more = if quoted.len() < self.s.len() {
            "…"
        } else {
            ""
        };
        Err(format!(
            "--where: {what} at character {} of: {quoted}{more}",
            self.s[..self.pos].chars().count() + 1,
        ))
    }

    /// One more level of parentheses or arrays, refused past [`MAX_DEPTH`].
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(&format!(
                "parentheses and arrays nest at most {MAX_DEPTH} deep"
            ));
        }
        Ok(())
    }

    fn ws(&mut self) {
        while self.s[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.s[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.s[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut any = vec![self.and()?];
        while self.eat("||") {
            any.push(self.and()?);
        }
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            Expr::Or(any)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut all = vec![self.not()?];
        while self.eat("&&") {
            all.push(self.not()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Expr::And(all)
        })
    }

    /// A run of `!` (read in a loop: two cancel out) before a comparison.
    fn not(&mut self) -> Result<Expr, String> {
        let mut negated = false;
        loop {
            self.ws();
            let rest = &self.s[self.pos..];
            if !rest.starts_with('!') || rest.starts_with("!=") {
                break;
            }
            self.pos += 1;
            negated = !negated;
        }
        let e = self.cmp()?;
        Ok(if negated { Expr::Not(Box::new(e)) } else { e })
    }

    fn cmp(&mut self) -> Result<Expr, String> {
        if self.eat("(") {
            self.enter()?;
            let e = self.or()?;
            if !self.eat(")") {
                return self.err("expected `)`");
            }
            self.depth -= 1;
            return Ok(e);
        }
        let left = self.operand()?;
        let ops = [
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        for (t, op) in ops {
            if self.eat(t) {
                let right = self.operand()?;
                return Ok(Expr::Cmp(left, op, right));
            }
        }
        Ok(Expr::Truthy(left))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        self.ws();
        let rest = &self.s[self.pos..];
        let Some(c) = rest.chars().next() else {
            return self.err("expected a property or a value");
        };
        if c == '"' || c == '\'' || c == '[' || c == '-' || c.is_ascii_digit() {
            return self.literal().map(Operand::Literal);
        }
        let end = rest
            .find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.')))
            .unwrap_or(rest.len());
        if end == 0 {
            return self.err("expected a property or a value");
        }
        let word = &rest[..end];
        self.pos += end;
        Ok(match word {
            "true" => Operand::Literal(Value::Bool(true)),
            "false" => Operand::Literal(Value::Bool(false)),
            "null" => Operand::Literal(Value::Null),
            _ => Operand::Property(word.to_owned()),
        })
    }

    fn literal(&mut self) -> Result<Value, String> {
        self.ws();
        let rest = &self.s[self.pos..];
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            // A string up to the matching quote; `\` escapes the next character.
            let mut out = String::new();
            let mut chars = rest[1..].char_indices();
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '\\' => match chars.next() {
                        Some((_, e)) => out.push(e),
                        None => break,
                    },
                    c if c == q => {
                        self.pos += 1 + i + 1;
                        return Ok(Value::String(out));
                    }
                    c => out.push(c),
                }
            }
            return self.err("unterminated string");
        }
        if rest.starts_with('[') {
            self.pos += 1;
            self.enter()?;
            let mut items = Vec::new();
            if self.eat("]") {
                self.depth -= 1;
                return Ok(Value::Array(items));
            }
            loop {
                items.push(self.literal_word()?);
                if self.eat("]") {
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                if !self.eat(",") {
                    return self.err("expected `,` or `]`");
                }
            }
        }
        let end = rest
            .find(|ch: char| !(ch.is_ascii_digit() || matches!(ch, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        match serde_json::from_str::<Value>(&rest[..end]) {
            Ok(v @ Value::Number(_)) => {
                self.pos += end;
                Ok(v)
            }
            _ => self.err("expected a number"),
        }
    }

    /// A literal inside an array (strings, numbers, `true`, `false`, `null`).
    fn literal_word(&mut self) -> Result<Value, String> {
        match self.operand()? {
            Operand::Literal(v) => Ok(v),
            Operand::Property(p) => self.err(&format!("`{p}` is not a value")),
        }
    }
}

/// Parses an expression.
pub(crate) fn parse(s: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    p.ws();
    if p.pos < s.len() {
        return p.err("unexpected text");
    }
    Ok(e)
}

fn value<'a>(o: &'a Operand, props: &'a Map<String, Value>) -> &'a Value {
    match o {
        Operand::Literal(v) => v,
        Operand::Property(p) => props.get(p).unwrap_or(&Value::Null),
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64() == y.as_f64() && (x == y || x.is_f64() || y.is_f64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        _ => a == b,
    }
}

/// The JSON type of a value, as people say it.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Expr {
    /// Each property the expression names, with the type of each literal it must equal or be
    /// ordered against for the expression to hold (`None`: tested for truth, compared with
    /// `null` or another property, with `!=`, or under a `!`, where another type can hold).
    pub(crate) fn properties(&self) -> Vec<(String, Option<&'static str>)> {
        let mut out = Vec::new();
        let mut stack = vec![(self, false)];
        while let Some((e, negated)) = stack.pop() {
            match e {
                Expr::Or(es) | Expr::And(es) => {
                    stack.extend(es.iter().rev().map(|e| (e, negated)));
                }
                Expr::Not(e) => stack.push((e, !negated)),
                Expr::Truthy(Operand::Property(p)) => out.push((p.clone(), None)),
                Expr::Truthy(Operand::Literal(_)) => {}
                Expr::Cmp(a, op, b) => match (a, b) {
                    (Operand::Property(p), Operand::Literal(v))
                    | (Operand::Literal(v), Operand::Property(p)) => {
                        let typed = !v.is_null() && !negated && *op != Op::Ne;
                        out.push((p.clone(), typed.then(|| kind(v))));
                    }
                    (Operand::Property(p), Operand::Property(q)) => {
                        out.push((p.clone(), None));
                        out.push((q.clone(), None));
                    }
                    (Operand::Literal(_), Operand::Literal(_)) => {}
                },
            }
        }
        out
    }

    /// Whether `props` matches.
    pub(crate) fn matches(&self, props: &Map<String, Value>) -> bool {
        match self {
            Expr::Or(any) => any.iter().any(|e| e.matches(props)),
            Expr::And(all) => all.iter().all(|e| e.matches(props)),
            Expr::Not(e) => !e.matches(props),
            Expr::Truthy(o) => !matches!(value(o, props), Value::Null | Value::Bool(false)),
            Expr::Cmp(a, op, b) => {
                let (a, b) = (value(a, props), value(b, props));
                let order = match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x
                        .as_f64()
                        .zip(y.as_f64())
                        .and_then(|(x, y)| x.partial_cmp(&y)),
                    (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
                    _ => None,
                };
                match op {
                    Op::Eq => equal(a, b),
                    Op::Ne => !equal(a, b),
                    Op::Lt => order.is_some_and(|o| o.is_lt()),
                    Op::Le => order.is_some_and(|o| o.is_le()),
                    Op::Gt => order.is_some_and(|o| o.is_gt()),
                    Op::Ge => order.is_some_and(|o| o.is_ge()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(e: &str, v: Value) -> bool {
        let Value::Object(props) = v else {
            panic!("an object")
        };
        parse(e).expect("parses").matches(&props)
    }

    #[test]
    fn properties_and_the_types_they_must_have() {
        let e = parse(r#"a == "x" && b != 1 && !(c > 2) && d"#).unwrap();
        assert_eq!(
            e.properties(),
            [
                ("a".to_owned(), Some("string")),
                ("b".to_owned(), None),
                ("c".to_owned(), None),
                ("d".to_owned(), None),
            ]
        );
    }

    #[test]
    fn the_language() {
        let p =
            json!({"theme": "dark", "fontSize": 14, "beta": false, "tags": ["a", "b"], "x.y": 1});
        assert!(m(r#"theme == "dark" && fontSize >= 12"#, p.clone()));
        assert!(!m(r#"theme == "dark" && fontSize > 14"#, p.clone()));
        assert!(m("theme == 'light' || fontSize == 14.0", p.clone()));
        assert!(m("!beta && !missing && missing == null", p.clone()));
        assert!(m(r#"tags == ["a", "b"] && tags != ["a"]"#, p.clone()));
        assert!(m(
            "(theme != 'dark' || x.y == 1) && fontSize < 100",
            p.clone()
        ));
        assert!(!m("theme > 3", p.clone()));
        assert!(m(r#"theme >= "d""#, p.clone()));
        assert!(m(r#"theme == "d\"ark" || theme == 'dark'"#, p));
        for bad in [
            "",
            "theme ==",
            "(theme",
            "theme == 'x",
            "a == b c",
            "== 1",
            "x == [1,",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_input_is_refused_and_long_input_is_read_without_recursion() {
        let p = json!({"a": true, "b": false});
        // Nesting up to the bound is read; one more level is refused with a message that
        // quotes a bounded part of the input.
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(m(&nested(MAX_DEPTH), p.clone()));
        for deep in [
            nested(MAX_DEPTH + 1),
            nested(3_000),
            format!("a == {}1{}", "[".repeat(3_000), "]".repeat(3_000)),
            format!("{}a", "!(".repeat(3_000)),
        ] {
            let e = parse(&deep).unwrap_err();
            assert!(e.contains("nest at most 64 deep"), "{e}");
            assert!(e.chars().count() < 300, "{e}");
        }
        // Runs of `!` and chains of `&&`/`||` of any length are no nesting.
        assert!(m(&format!("{}a", "!".repeat(100_000)), p.clone()));
        assert!(!m(&format!("{}a", "!".repeat(100_001)), p.clone()));
        let chain = |op: &str, n: usize| vec!["b"; n].join(op) + op + "a";
        assert!(m(&chain(" || ", 100_000), p.clone()));
        assert!(!m(&chain(" && ", 100_000), p));
    }
}
