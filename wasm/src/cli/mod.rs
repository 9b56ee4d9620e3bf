//! `main`: the command line of the npm package (`npx code-mesh`), a subset
//! of the native binary's — `--help`, `--version` and `run` with its flags,
//! help and exit codes — printing to `process.stdout`/`process.stderr`.

pub mod args;
pub mod render;
pub mod request;
#[cfg(target_family = "wasm")]
mod run;

#[cfg(all(target_family = "wasm", feature = "main"))]
pub use wasm::main;
#[cfg(target_family = "wasm")]
pub use wasm::run_main;

#[cfg(target_family = "wasm")]
mod wasm {
    use super::args::{self, Parsed};
    use super::render::Output;
    use crate::platform::stdio::{self, Stream};
    use crate::platform::string_map;
    use js_sys::Promise;
    use wasm_bindgen::JsValue;
    #[cfg(feature = "main")]
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen_futures::future_to_promise;

    /// The process's own stdout and stderr.
    struct ProcessOutput;

    impl Output for ProcessOutput {
        fn out(&mut self, text: &str) {
            stdio::write(Stream::Stdout, text);
        }

        fn err(&mut self, text: &str) {
            stdio::write(Stream::Stderr, text);
        }
    }

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
            let mut output = ProcessOutput;
            let code = match args::parse(&argv) {
                Parsed::Exit {
                    text,
                    to_stdout,
                    code,
                } => {
                    if to_stdout {
                        output.out(&text);
                    } else {
                        output.err(&text);
                    }
                    code
                }
                Parsed::Run(run_args) => super::run::run(run_args, env, &cwd, &mut output).await,
            };
            Ok(JsValue::from(code))
        })
    }
}
