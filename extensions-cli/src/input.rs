//! Reading a file, or standard input for `-`, without blocking the runtime: a signal still
//! stops graph-ext while it waits for its input.

use crate::fail::Fail;

/// The text of `path`, or of standard input for `-`.
pub(crate) async fn read_text(path: &str) -> Result<String, Fail> {
    if path == "-" {
        let cannot =
            |e: &dyn std::fmt::Display| Fail::Input(format!("cannot read standard input: {e}"));
        tokio::task::spawn_blocking(|| std::io::read_to_string(std::io::stdin()))
            .await
            .map_err(|e| cannot(&e))?
            .map_err(|e| cannot(&e))
    } else {
        tokio::fs::read_to_string(path)
            .await
            .map_err(|e| Fail::Input(format!("cannot read {path}: {e}")))
    }
}
