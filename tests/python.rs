//! The Python package (`python/`): its pytest suite, run with the venv Python that
//! `BBGEN_PYTHON_PKG_PYTHON` names (the wheel, pytest, pyarrow, DuckDB and Polars installed in it;
//! `.ci/run` builds and installs them), comparing the package's tables with this build's CLI.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn python_package_tests_pass() {
    let Some(python) = common::outside_tool(
        "BBGEN_PYTHON_PKG_PYTHON",
        "a venv Python with the bbgen wheel and python/requirements-test.txt installed",
    ) else {
        return;
    };
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/tests");
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "."])
        .current_dir(&tests)
        .env("BBGEN_BIN", env!("CARGO_BIN_EXE_bbgen"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pytest failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(" passed"), "pytest ran no test:\n{text}");
    assert!(!text.contains("skipped"), "pytest skipped tests:\n{text}");
}
