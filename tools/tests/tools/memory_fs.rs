//! The tools over a project held in memory ([`MemoryFs`]), as in a browser:
//! the same tools, reaching the files only through the session's disk, with
//! the same outputs, rules and confinement as on the machine's disk.

use crate::support::MemoryProject;
use crate::truncate::{Echo, saved_path};
use code_mesh_runtime::fs::FileSystem;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::truncate::OUTPUT_DIR;
use code_mesh_tools::{
    ApplyPatchTool, EditTool, GlobTool, GrepTool, ListTool, MultiEditTool, ReadTool, RememberTool,
    TruncatedTool, WriteTool,
};
use serde_json::json;
use std::path::Path;
use std::rc::Rc;

#[tokio::test(flavor = "current_thread")]
async fn read_numbers_lines_and_reads_a_window() {
    let text: String = (1..=10).map(|n| format!("line {n}\n")).collect();
    let project =
        MemoryProject::with_files(&[("src/main.rs", "fn main() {}\n"), ("ten.txt", &text)]);
    let read = project
        .call(&ReadTool, json!({ "filePath": "src/main.rs" }))
        .await
        .expect("read");
    assert_eq!(read.title, "src/main.rs");
    assert_eq!(
        read.output,
        "<file>\n00001| fn main() {}\n\n(End of file - total 1 lines)\n</file>"
    );
    let window = project
        .call(
            &ReadTool,
            json!({ "filePath": "ten.txt", "offset": 3, "limit": 2 }),
        )
        .await
        .expect("read");
    assert_eq!(
        window.output,
        "<file>\n00004| line 4\n00005| line 5\n\n\
         (File has more lines. Use 'offset' parameter to read beyond line 5)\n</file>"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_of_a_missing_file_suggests_names_and_a_directory_is_refused() {
    let project = MemoryProject::with_files(&[("src/config.rs", "")]);
    let error = project
        .call(&ReadTool, json!({ "filePath": "src/confg.rs" }))
        .await
        .expect_err("missing");
    assert!(matches!(error, ToolError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("src/config.rs"), "{error}");
    let error = project
        .call(&ReadTool, json!({ "filePath": "src" }))
        .await
        .expect_err("directory");
    assert!(error.to_string().contains("is a directory"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn write_and_edit_stage_in_memory_and_apply_writes_the_project() {
    let project = MemoryProject::staged(&[("a.txt", "one\ntwo\n")]);
    let written = project
        .call(
            &WriteTool,
            json!({ "filePath": "src/new.rs", "content": "fn main() {}\n" }),
        )
        .await
        .expect("write");
    assert_eq!(written.title, "src/new.rs (staged)");
    let edited = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "two", "newString": "dos" }),
        )
        .await
        .expect("edit");
    assert_eq!(edited.title, "a.txt (staged)");
    // Staged: the project in memory is unchanged, but the tools see the change.
    assert_eq!(project.contents("a.txt").as_deref(), Some("one\ntwo\n"));
    assert_eq!(project.contents("src/new.rs"), None);
    let read = project
        .call(&ReadTool, json!({ "filePath": "a.txt" }))
        .await
        .expect("read");
    assert!(read.output.contains("00002| dos"), "{}", read.output);

    project.ctx.changes.apply().expect("applied");
    assert_eq!(project.contents("a.txt").as_deref(), Some("one\ndos\n"));
    assert_eq!(
        project.contents("src/new.rs").as_deref(),
        Some("fn main() {}\n")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn write_overwrites_only_a_file_read_and_edits_write_through_when_allowed() {
    let project = MemoryProject::with_files(&[("a.txt", "one two three\n")]);
    let error = project
        .call(&WriteTool, json!({ "filePath": "a.txt", "content": "x" }))
        .await
        .expect_err("never read");
    assert!(error.to_string().contains("must read the file"), "{error}");
    project
        .call(
            &MultiEditTool,
            json!({ "filePath": "a.txt", "edits": [
                { "oldString": "one", "newString": "1" },
                { "oldString": "three", "newString": "3" }
            ] }),
        )
        .await
        .expect("multiedit");
    assert_eq!(project.contents("a.txt").as_deref(), Some("1 two 3\n"));
    let error = project
        .call(&WriteTool, json!({ "filePath": ".", "content": "x" }))
        .await
        .expect_err("directory");
    assert!(error.to_string().contains("is a directory"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_adds_updates_moves_and_deletes_in_memory() {
    let project = MemoryProject::with_files(&[
        ("a.txt", "alpha\nbeta\n"),
        ("old/b.txt", "bravo\n"),
        ("c.txt", "charlie\n"),
    ]);
    let patched = project
        .call(
            &ApplyPatchTool,
            json!({ "patchText": "*** Begin Patch\n\
                *** Update File: a.txt\n@@\n alpha\n-beta\n+gamma\n\
                *** Update File: old/b.txt\n*** Move to: new/b.txt\n@@\n-bravo\n+bravo two\n\
                *** Delete File: c.txt\n\
                *** Add File: d/e.txt\n+echo\n\
                *** End Patch" }),
        )
        .await
        .expect("patched");
    assert!(
        patched
            .output
            .starts_with("Success. Updated the following files:\nM a.txt\nR old/b.txt -> new/b.txt\nD c.txt\nA d/e.txt\n"),
        "{}",
        patched.output
    );
    assert_eq!(project.contents("a.txt").as_deref(), Some("alpha\ngamma\n"));
    assert_eq!(project.contents("old/b.txt"), None);
    assert_eq!(
        project.contents("new/b.txt").as_deref(),
        Some("bravo two\n")
    );
    assert_eq!(project.contents("c.txt"), None);
    assert_eq!(project.contents("d/e.txt").as_deref(), Some("echo\n"));

    let error = project
        .call(
            &ApplyPatchTool,
            json!({ "patchText": "*** Begin Patch\n*** Delete File: nope.txt\n*** End Patch" }),
        )
        .await
        .expect_err("missing");
    assert!(error.to_string().contains("wrote nothing"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_honours_nested_gitignore_and_ignore_files_and_skips_hidden_files() {
    let project = MemoryProject::with_files(&[
        (".gitignore", "ignored/\n*.log\n"),
        ("ignored/a.rs", "needle\n"),
        ("debug.log", "needle\n"),
        (".hidden/b.rs", "needle\n"),
        (".env", "needle\n"),
        ("keep/.gitignore", "!important.log\nlocal.rs\n"),
        ("keep/important.log", "needle\n"),
        ("keep/local.rs", "needle\n"),
        ("keep/.ignore", "skipped.rs\n"),
        ("keep/skipped.rs", "needle\n"),
        ("src/kept.rs", "one\nneedle two\n"),
    ]);
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    // The later file is the newer: newest first.
    assert_eq!(
        found.output,
        "Found 2 matches\nsrc/kept.rs:\n  Line 2: needle two\n\nkeep/important.log:\n  Line 1: needle"
    );

    let included = project
        .call(
            &GrepTool,
            json!({ "pattern": "needle", "path": "keep", "include": "*.log" }),
        )
        .await
        .expect("searched");
    assert_eq!(
        included.output,
        "Found 1 matches\nkeep/important.log:\n  Line 1: needle"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn grep_searches_staged_content_and_skips_binary_files() {
    let project = MemoryProject::staged(&[("a.txt", "alpha\n"), ("bin.dat", "needle\0binary\n")]);
    project
        .call(
            &WriteTool,
            json!({ "filePath": "new/n.txt", "content": "needle in a staged file\n" }),
        )
        .await
        .expect("write");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    assert_eq!(
        found.output,
        "Found 1 matches\nnew/n.txt:\n  Line 1: needle in a staged file"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn glob_finds_files_newest_first_and_hidden_ones_only_when_named() {
    let project = MemoryProject::with_files(&[
        ("main.rs", ""),
        ("src/lib.rs", ""),
        ("src/deep/mod.rs", ""),
        ("src/notes.md", ""),
        (".gitignore", "gen/\n"),
        ("gen/out.rs", ""),
        (".github/ci.yml", ""),
        (".git/config", ""),
    ]);
    let found = project
        .call(&GlobTool, json!({ "pattern": "*.rs" }))
        .await
        .expect("globbed");
    assert_eq!(found.output, "src/deep/mod.rs\nsrc/lib.rs\nmain.rs");
    let under_src = project
        .call(&GlobTool, json!({ "pattern": "deep/*", "path": "src" }))
        .await
        .expect("globbed");
    assert_eq!(under_src.output, "src/deep/mod.rs");
    let hidden = project
        .call(&GlobTool, json!({ "pattern": ".*/*" }))
        .await
        .expect("globbed");
    assert_eq!(hidden.output, ".github/ci.yml");
    let error = project
        .call(&GlobTool, json!({ "pattern": "*", "path": "main.rs" }))
        .await
        .expect_err("a file");
    assert!(error.to_string().contains("is a file"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn list_draws_the_tree_without_ignored_entries_and_with_staged_files() {
    let project = MemoryProject::staged(&[
        ("Cargo.toml", ""),
        ("src/main.rs", ""),
        ("src/cli/args.rs", ""),
        ("target/debug/app", ""),
        (".gitignore", "secret.txt\n"),
        ("secret.txt", ""),
        ("app.log", ""),
        (".github/ci.yml", ""),
    ]);
    project
        .call(
            &WriteTool,
            json!({ "filePath": "docs/guide.md", "content": "# Guide\n" }),
        )
        .await
        .expect("write");
    let listed = project
        .call(&ListTool, json!({ "ignore": ["*.log"] }))
        .await
        .expect("listed");
    assert_eq!(
        listed.output,
        "./\n  .github/\n    ci.yml\n  docs/\n    guide.md\n  src/\n    cli/\n      args.rs\n    \
         main.rs\n  .gitignore\n  Cargo.toml"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn paths_outside_the_project_are_refused_in_memory_too() {
    let project = MemoryProject::with_files(&[("src/a.txt", "a\n")]);
    project
        .fs
        .write(Path::new("/outside/secret.txt"), b"secret")
        .expect("a file outside the project");
    for given in [
        "../outside/secret.txt",
        "/outside/secret.txt",
        "src/../../outside/secret.txt",
    ] {
        let error = project
            .call(&ReadTool, json!({ "filePath": given }))
            .await
            .expect_err("outside");
        assert!(
            matches!(error, ToolError::OutsideProject { .. }),
            "{given}: {error}"
        );
        let error = project
            .call(&WriteTool, json!({ "filePath": given, "content": "x" }))
            .await
            .expect_err("outside");
        assert!(
            matches!(error, ToolError::OutsideProject { .. }),
            "{given}: {error}"
        );
    }
    let error = project
        .call(
            &GrepTool,
            json!({ "pattern": "secret", "path": "/outside" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    let error = project
        .call(
            &WriteTool,
            json!({ "filePath": ".git/config", "content": "x" }),
        )
        .await
        .expect_err(".git");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");

    // A `..` that stays inside, and an absolute path inside, are fine.
    let read = project
        .call(&ReadTool, json!({ "filePath": "src/../src/./a.txt" }))
        .await
        .expect("inside");
    assert_eq!(read.title, "src/a.txt");
    let read = project
        .call(&ReadTool, json!({ "filePath": "/project/src/a.txt" }))
        .await
        .expect("inside");
    assert_eq!(read.title, "src/a.txt");
    assert_eq!(
        project.fs.read(Path::new("/outside/secret.txt")).ok(),
        Some(b"secret".to_vec())
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_output_is_saved_in_memory_where_read_can_reach_it() {
    let project = MemoryProject::with_files(&[]);
    let tool = TruncatedTool::new(Rc::new(Echo));
    let text: String = (1..=3000).map(|n| format!("line {n}\n")).collect();
    let echoed = project
        .call(&tool, json!({ "text": text }))
        .await
        .expect("echoed");
    let saved = saved_path(&echoed.output);
    assert!(saved.starts_with(".code-mesh/tool-output/echo_"), "{saved}");
    assert_eq!(project.contents(saved).as_deref(), Some(text.as_str()));
    assert!(
        project
            .contents(&format!("{OUTPUT_DIR}/.gitignore"))
            .is_some_and(|ignore| ignore.ends_with("*\n"))
    );
    let read = project
        .call(
            &ReadTool,
            json!({ "filePath": saved, "offset": 2500, "limit": 1 }),
        )
        .await
        .expect("read");
    assert!(read.output.contains("02501| line 2501"), "{}", read.output);
    // Saved outputs stay out of searches.
    let found = project
        .call(&GrepTool, json!({ "pattern": "line 2501" }))
        .await
        .expect("searched");
    assert_eq!(found.output, "No files found");
}

#[tokio::test(flavor = "current_thread")]
async fn remember_appends_to_the_knowledge_file_in_memory() {
    let project = MemoryProject::with_files(&[]);
    project
        .call(
            &RememberTool,
            json!({ "note": "Tests run with cargo nextest." }),
        )
        .await
        .expect("remembered");
    let knowledge = project
        .contents(".code-mesh/knowledge.md")
        .expect("knowledge file");
    assert!(
        knowledge.ends_with("- Tests run with cargo nextest.\n"),
        "{knowledge}"
    );
}
