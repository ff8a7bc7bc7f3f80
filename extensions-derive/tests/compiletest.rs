//! Compile errors (`tests/ui/**`, grouped by category) and accepted combinations
//! (`tests/pass/*`). Regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p extensions-derive --test compiletest`, and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/pass/*.rs");
}
