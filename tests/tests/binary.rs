//! `code_mesh_bin` finds the `code-mesh` binary beside the test executable,
//! building it first when needed.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::code_mesh_bin;

#[test]
fn code_mesh_bin_is_a_built_executable_in_this_target_directory() {
    let binary = code_mesh_bin();
    assert!(binary.is_file(), "{} is not a file", binary.display());
    assert_eq!(binary.file_stem().unwrap(), "code-mesh");
    let test_exe = std::env::current_exe().unwrap();
    let profile_dir = test_exe.parent().unwrap().parent().unwrap();
    assert_eq!(binary.parent().unwrap(), profile_dir);
    // Asking again in the same process reuses the first answer.
    assert_eq!(code_mesh_bin(), binary);
}
