//! Which command runs a project's tests, detected from the files it has.

use std::path::Path;

/// The test command for the project at `root`, from its build files, in
/// this order: `Cargo.toml` → `cargo test`; `package.json` with a `test`
/// script (not npm's placeholder) → `npm test`; `go.mod` → `go test ./...`;
/// `pyproject.toml`, `pytest.ini`, `setup.cfg`, `tox.ini`, or a `tests/`
/// directory holding Python files → `pytest`; a Makefile with a `test:`
/// target → `make test`. `None` when nothing says how.
pub fn detect_test_command(root: &Path) -> Option<String> {
    let has = |name: &str| root.join(name).is_file();
    if has("Cargo.toml") {
        return Some("cargo test".to_string());
    }
    if has_npm_test_script(root) {
        return Some("npm test".to_string());
    }
    if has("go.mod") {
        return Some("go test ./...".to_string());
    }
    let python_config = ["pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"]
        .iter()
        .any(|name| has(name));
    if python_config || has_python_tests(root) {
        return Some("pytest".to_string());
    }
    if has_make_test_target(root) {
        return Some("make test".to_string());
    }
    None
}

/// Whether `package.json` has a `scripts.test` other than the one `npm init`
/// writes (which only fails).
fn has_npm_test_script(root: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    json["scripts"]["test"]
        .as_str()
        .is_some_and(|script| !script.contains("no test specified"))
}

/// Whether `tests/` holds a Python file.
fn has_python_tests(root: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(root.join("tests")) else {
        return false;
    };
    entries
        .flatten()
        .any(|entry| entry.path().extension().is_some_and(|ext| ext == "py"))
}

/// Whether a Makefile defines a `test` target.
fn has_make_test_target(root: &Path) -> bool {
    ["GNUmakefile", "makefile", "Makefile"].iter().any(|name| {
        std::fs::read_to_string(root.join(name)).is_ok_and(|text| {
            text.lines().any(|line| {
                line.strip_prefix("test")
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        dir
    }

    fn detected(files: &[(&str, &str)]) -> Option<String> {
        detect_test_command(project(files).path())
    }

    #[test]
    fn each_build_file_gives_its_test_command() {
        assert_eq!(
            detected(&[("Cargo.toml", "[package]")]).as_deref(),
            Some("cargo test")
        );
        assert_eq!(
            detected(&[("package.json", r#"{"scripts":{"test":"jest"}}"#)]).as_deref(),
            Some("npm test")
        );
        assert_eq!(
            detected(&[("go.mod", "module x")]).as_deref(),
            Some("go test ./...")
        );
        assert_eq!(
            detected(&[("pyproject.toml", "")]).as_deref(),
            Some("pytest")
        );
        assert_eq!(
            detected(&[("tests/test_a.py", "")]).as_deref(),
            Some("pytest")
        );
        assert_eq!(
            detected(&[("Makefile", "build:\n\tcc a.c\ntest: build\n\t./a\n")]).as_deref(),
            Some("make test")
        );
    }

    #[test]
    fn npm_placeholder_script_and_test_less_makefile_give_no_command() {
        let placeholder = r#"{"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}}"#;
        assert_eq!(detected(&[("package.json", placeholder)]), None);
        assert_eq!(detected(&[("package.json", "{}")]), None);
        assert_eq!(detected(&[("Makefile", "testing:\n\ttrue\n")]), None);
        assert_eq!(detected(&[("README.md", "hi")]), None);
    }

    #[test]
    fn cargo_wins_over_a_makefile() {
        assert_eq!(
            detected(&[("Cargo.toml", ""), ("Makefile", "test:\n\ttrue\n")]).as_deref(),
            Some("cargo test")
        );
    }
}
