//! `main`: the command line of the npm package (`npx code-mesh`), a subset
//! of the native binary's — `--help`, `--version`, `run`, and `diff`,
//! `apply`, `reject`, `undo` on the changes a run saved, with their flags,
//! help and exit codes — printing to `process.stdout`/`process.stderr`
//! through the native binary's renderers (`code_mesh_cli::render`).

pub mod args;
#[cfg(target_family = "wasm")]
mod changes;
#[cfg(target_family = "wasm")]
mod run;

#[cfg(all(target_family = "wasm", feature = "main"))]
pub use wasm::main;
#[cfg(target_family = "wasm")]
pub use wasm::run_main;

#[cfg(target_family = "wasm")]
mod wasm {
    use super::args::{self, Parsed};
    use crate::platform::stdio::{self, Stream};
    use crate::platform::string_map;
    use js_sys::Promise;
    use wasm_bindgen::JsValue;
    #[cfg(feature = "main")]
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen_futures::future_to_promise;

    /// The CLI: parses `argv` (without `node` and the script's path), runs
    /// it in `cwd` with the environment `env`, prints to `process.stdout` /
    /// `process.stderr`, and resolves to the exit code (0 ok, 1 error,
    /// 2 usage, 130 cancelled). Exported as `main` with the `main` feature
    /// (on by default; a wasm-bindgen test binary exports a `main` of its
    /// own, so the Node tests turn it off and call [`run_main`]).
    #[cfg(feature = "main")]
    #[wasm_bindgen(unchecked_return_type = "Promise<number>")]
    pub fn main(
        argv: Vec<String>,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] env: JsValue,
        cwd: String,
    ) -> Promise {
        run_main(argv, env, cwd)
    }

    /// What `main` does; see it.
    pub fn run_main(argv: Vec<String>, env: JsValue, cwd: String) -> Promise {
        let env = string_map(&env);
        future_to_promise(async move {
            let code = match args::parse(&argv) {
                Parsed::Exit {
                    text,
                    to_stdout,
                    code,
                } => {
                    let stream = if to_stdout {
                        Stream::Stdout
                    } else {
                        Stream::Stderr
                    };
                    stdio::write(stream, &text);
                    code
                }
                Parsed::Run(run_args) => super::run::run(run_args, env, &cwd).await,
                Parsed::Changes(command, args) => {
                    super::changes::changes(command, args, env, &cwd).await
                }
            };
            Ok(JsValue::from(code))
        })
    }
}
