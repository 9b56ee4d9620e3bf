use crate::support::Project;
use code_mesh_tools::WriteTool;
use serde_json::json;
use std::fs;

#[tokio::test(flavor = "current_thread")]
async fn write_creates_file_and_parent_dirs() {
    let project = Project::new();
    let written = project
        .call(
            &WriteTool,
            json!({ "filePath": "src/deep/new.rs", "content": "one\ntwo\n" }),
        )
        .await
        .expect("write");
    assert_eq!(written.title, "src/deep/new.rs");
    assert_eq!(written.output, "Created src/deep/new.rs (2 lines).");
    assert_eq!(project.contents("src/deep/new.rs"), "one\ntwo\n");
}

#[tokio::test(flavor = "current_thread")]
async fn write_overwrites_and_says_so() {
    let project = Project::new();
    project.file("a.txt", "old\n");
    project.read("a.txt").await;
    let written = project
        .call(&WriteTool, json!({ "filePath": "a.txt", "content": "new" }))
        .await
        .expect("write");
    assert_eq!(written.output, "Overwrote a.txt (1 line).");
    assert_eq!(project.contents("a.txt"), "new");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn write_is_atomic_and_keeps_permissions() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let project = Project::new();
    project.file("run.sh", "#!/bin/sh\n");
    let path = project.path("run.sh");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).expect("chmod");
    let before = fs::metadata(&path).expect("metadata").ino();
    project.read("run.sh").await;

    project
        .call(
            &WriteTool,
            json!({ "filePath": "run.sh", "content": "#!/bin/sh\necho hi\n" }),
        )
        .await
        .expect("write");

    let after = fs::metadata(&path).expect("metadata");
    assert_eq!(after.permissions().mode() & 0o777, 0o751);
    // A new file was renamed into place rather than the old one rewritten.
    assert_ne!(after.ino(), before);
    let names: Vec<_> = fs::read_dir(project.root())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["run.sh"], "no temporary file is left behind");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn write_through_symlink_inside_project_keeps_the_link() {
    let project = Project::new();
    project.file("real.txt", "old");
    std::os::unix::fs::symlink(project.path("real.txt"), project.path("link.txt")).expect("link");
    project.read("link.txt").await;
    let written = project
        .call(
            &WriteTool,
            json!({ "filePath": "link.txt", "content": "new" }),
        )
        .await
        .expect("write");
    assert_eq!(written.title, "real.txt");
    assert_eq!(project.contents("real.txt"), "new");
    let link = fs::symlink_metadata(project.path("link.txt")).expect("link");
    assert!(link.file_type().is_symlink());
}

#[tokio::test(flavor = "current_thread")]
async fn write_to_directory_is_refused() {
    let project = Project::new();
    project.file("src/lib.rs", "");
    let error = project
        .call(&WriteTool, json!({ "filePath": "src", "content": "x" }))
        .await
        .expect_err("directory");
    assert!(error.to_string().contains("is a directory"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn write_refuses_to_overwrite_a_file_never_read() {
    let project = Project::new();
    project.file("a.txt", "old\n");
    let error = project
        .call(&WriteTool, json!({ "filePath": "a.txt", "content": "new" }))
        .await
        .expect_err("unread");
    assert_eq!(
        error.to_string(),
        "You must read the file a.txt with the read tool before overwriting it"
    );
    assert_eq!(project.contents("a.txt"), "old\n");
}

#[tokio::test(flavor = "current_thread")]
async fn write_refuses_to_overwrite_a_file_changed_since_it_was_read() {
    let project = Project::new();
    project.file("a.txt", "old\n");
    project.read("a.txt").await;
    // Someone else changes it; its modification time moves on.
    project.file("a.txt", "theirs\n");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    fs::File::options()
        .write(true)
        .open(project.path("a.txt"))
        .and_then(|file| file.set_modified(later))
        .expect("touch");
    let error = project
        .call(&WriteTool, json!({ "filePath": "a.txt", "content": "new" }))
        .await
        .expect_err("stale");
    assert_eq!(
        error.to_string(),
        "a.txt was modified since it was last read; read it again before overwriting it"
    );
    assert_eq!(project.contents("a.txt"), "theirs\n");

    project.read("a.txt").await;
    project
        .call(&WriteTool, json!({ "filePath": "a.txt", "content": "new" }))
        .await
        .expect("read again");
    assert_eq!(project.contents("a.txt"), "new");
}

#[tokio::test(flavor = "current_thread")]
async fn write_may_overwrite_its_own_earlier_write_without_reading_it() {
    let project = Project::new();
    for content in ["one", "two"] {
        project
            .call(
                &WriteTool,
                json!({ "filePath": "a.txt", "content": content }),
            )
            .await
            .expect("write");
    }
    assert_eq!(project.contents("a.txt"), "two");
}
