//! [`NodeShell`]: the bash tool's commands as Node child processes
//! (`child_process.spawn` with `detached`, so each command leads a process
//! group that a timeout kills whole), with the same limits and output as
//! the native runner. And [`NoShell`], a host without processes.

use super::js_error::message_of;
use super::node::{builtin_module, node_process};
use async_trait::async_trait;
use code_mesh_runtime::platform::sleep;
use code_mesh_tools::bash::{CommandEnding, CommandRunner, DRAIN_GRACE, KILL_GRACE, OutputBuffer};
use futures::channel::mpsc;
use futures::{FutureExt, StreamExt, pin_mut, select};
use js_sys::{Array, Function, Reflect};
use std::io;
use std::path::Path;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What a child process reports, in order.
enum Report {
    /// Bytes it wrote (stdout or stderr).
    Output(Vec<u8>),
    /// It exited: its code, or the name of the signal that killed it.
    Exited(Option<i32>, Option<String>),
    /// Its pipes are closed: nothing more will be written.
    Closed,
    /// It could not be started (the shell is missing, say).
    Failed(io::Error),
}

/// Runs commands with Node's `child_process`: a `bash -c` (or `sh -c`)
/// child with no standard input, in a process group of its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeShell;

/// A host with no processes (a browser, or an in-memory project whose files
/// no command could see): every command is refused with `reason`.
#[derive(Debug, Clone)]
pub struct NoShell {
    /// Why, in words for the model.
    pub reason: String,
}

#[async_trait(?Send)]
impl CommandRunner for NoShell {
    async fn run(
        &self,
        _command: &str,
        _workdir: &Path,
        _timeout: Duration,
        _output: &mut OutputBuffer,
    ) -> io::Result<CommandEnding> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            self.reason.clone(),
        ))
    }

    fn unavailable(&self) -> Option<String> {
        Some(self.reason.clone())
    }
}

/// A started child and the listeners that feed its reports in; dropping it
/// removes the listeners (so Node never calls a dropped closure) and
/// closes the pipes (so a background process holding them does not keep
/// Node running).
struct Child {
    child: JsValue,
    streams: Vec<JsValue>,
    _listeners: Vec<Closure<dyn FnMut(JsValue, JsValue)>>,
}

impl Drop for Child {
    fn drop(&mut self) {
        for emitter in std::iter::once(&self.child).chain(&self.streams) {
            let _ = call_method(emitter, "removeAllListeners", &[]);
        }
        for stream in &self.streams {
            let _ = call_method(stream, "destroy", &[]);
        }
    }
}

impl Child {
    /// The process id (also the id of its group, the child being detached).
    fn pid(&self) -> Option<f64> {
        Reflect::get(&self.child, &"pid".into()).ok()?.as_f64()
    }

    /// Sends `signal` to the child's whole process group; a group already
    /// gone is no error.
    fn signal_group(&self, signal: &str) {
        if let (Some(pid), Some(process)) = (self.pid(), node_process()) {
            let _ = call_method(&process, "kill", &[JsValue::from(-pid), signal.into()]);
        }
    }
}

/// Calls `target.name(...args)`.
fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = Reflect::get(target, &name.into())?.dyn_into()?;
    let list: Array = args.iter().collect();
    method.apply(target, &list)
}

/// Starts `shell -c command` in `workdir`, its reports sent to `reports`.
fn spawn(
    shell: &str,
    command: &str,
    workdir: &Path,
    reports: &mpsc::UnboundedSender<Report>,
) -> io::Result<Child> {
    let child_process = builtin_module("child_process")
        .map_err(|m| io::Error::new(io::ErrorKind::Unsupported, m))?;
    let js = |e: JsValue| io::Error::other(message_of(&e));
    let options = js_sys::Object::new();
    let stdio: Array = ["ignore", "pipe", "pipe"]
        .iter()
        .map(|s| JsValue::from(*s))
        .collect();
    Reflect::set(
        &options,
        &"cwd".into(),
        &workdir.display().to_string().into(),
    )
    .map_err(js)?;
    Reflect::set(&options, &"detached".into(), &true.into()).map_err(js)?;
    Reflect::set(&options, &"stdio".into(), &stdio).map_err(js)?;
    // stderr joins stdout inside the shell, so lines keep the order they
    // were written in (Node's two pipes would not); the first line runs
    // before the command is parsed, so its syntax errors land there too.
    let script = format!("exec 2>&1\n{command}");
    let args: Array = ["-c", script.as_str()]
        .iter()
        .map(|s| JsValue::from(*s))
        .collect();
    let child = call_method(
        &child_process,
        "spawn",
        &[shell.into(), args.into(), options.into()],
    )
    .map_err(js)?;

    let mut listeners: Vec<Closure<dyn FnMut(JsValue, JsValue)>> = Vec::new();
    let mut streams = Vec::new();
    for name in ["stdout", "stderr"] {
        let stream = Reflect::get(&child, &name.into()).map_err(js)?;
        if stream.is_null() || stream.is_undefined() {
            continue;
        }
        let sender = reports.clone();
        let on_data = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |chunk: JsValue, _| {
            let bytes = js_sys::Uint8Array::new(&chunk).to_vec();
            let _ = sender.unbounded_send(Report::Output(bytes));
        });
        call_method(&stream, "on", &["data".into(), on_data.as_ref().clone()]).map_err(js)?;
        listeners.push(on_data);
        streams.push(stream);
    }
    let sender = reports.clone();
    let on_exit =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |code: JsValue, signal: JsValue| {
            let code = code.as_f64().map(|c| c as i32);
            let _ = sender.unbounded_send(Report::Exited(code, signal.as_string()));
        });
    let sender = reports.clone();
    let on_close = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |_, _| {
        let _ = sender.unbounded_send(Report::Closed);
    });
    let sender = reports.clone();
    let on_error = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |error: JsValue, _| {
        let _ = sender.unbounded_send(Report::Failed(super::js_error::io_error(&error)));
    });
    for (event, listener) in [
        ("exit", &on_exit),
        ("close", &on_close),
        ("error", &on_error),
    ] {
        call_method(&child, "on", &[event.into(), listener.as_ref().clone()]).map_err(js)?;
    }
    listeners.extend([on_exit, on_close, on_error]);
    Ok(Child {
        child,
        streams,
        _listeners: listeners,
    })
}

/// The number of signal `name` (`SIGKILL` → 9) on this machine, from
/// `os.constants.signals`.
fn signal_number(name: &str) -> Option<i32> {
    let os = builtin_module("os").ok()?;
    let constants = Reflect::get(&os, &"constants".into()).ok()?;
    let signals = Reflect::get(&constants, &"signals".into()).ok()?;
    Reflect::get(&signals, &name.into())
        .ok()?
        .as_f64()
        .map(|n| n as i32)
}

/// Reads reports into `output` until the child exits; `None` when the
/// reports ended first (the child was dropped).
async fn until_exit(
    reports: &mut mpsc::UnboundedReceiver<Report>,
    output: &mut OutputBuffer,
) -> Option<io::Result<CommandEnding>> {
    while let Some(report) = reports.next().await {
        match report {
            Report::Output(bytes) => output.push(&bytes),
            Report::Exited(code, signal) => {
                return Some(Ok(CommandEnding::Exited {
                    code,
                    signal: signal.as_deref().and_then(signal_number),
                }));
            }
            Report::Failed(error) => return Some(Err(error)),
            Report::Closed => {}
        }
    }
    None
}

/// Reads reports into `output` until the child's pipes close.
async fn until_closed(reports: &mut mpsc::UnboundedReceiver<Report>, output: &mut OutputBuffer) {
    while let Some(report) = reports.next().await {
        match report {
            Report::Output(bytes) => output.push(&bytes),
            Report::Closed => return,
            Report::Exited(..) | Report::Failed(_) => {}
        }
    }
}

/// Waits for `future`, or `limit`; `None` when the time ran out.
async fn within<T>(limit: Duration, future: impl std::future::Future<Output = T>) -> Option<T> {
    let future = future.fuse();
    let timer = sleep(limit).fuse();
    pin_mut!(future, timer);
    select! {
        done = future => Some(done),
        () = timer => None,
    }
}

#[async_trait(?Send)]
impl CommandRunner for NodeShell {
    async fn run(
        &self,
        command: &str,
        workdir: &Path,
        timeout: Duration,
        output: &mut OutputBuffer,
    ) -> io::Result<CommandEnding> {
        let mut started = None;
        for shell in ["bash", "sh"] {
            let (sender, mut reports) = mpsc::unbounded();
            let child = spawn(shell, command, workdir, &sender)?;
            drop(sender);
            if child.pid().is_none() {
                // It did not start; Node says why in an `error` event.
                match reports.next().await {
                    Some(Report::Failed(error)) if error.kind() == io::ErrorKind::NotFound => {
                        continue;
                    }
                    Some(Report::Failed(error)) => return Err(error),
                    _ => return Err(io::Error::other(format!("{shell} could not be started"))),
                }
            }
            started = Some((child, reports));
            break;
        }
        let Some((child, mut reports)) = started else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "neither bash nor sh can be started on this machine",
            ));
        };
        let ending = match within(timeout, until_exit(&mut reports, output)).await {
            Some(Some(ending)) => {
                let ending = ending?;
                within(DRAIN_GRACE, until_closed(&mut reports, output)).await;
                ending
            }
            Some(None) => CommandEnding::Exited {
                code: None,
                signal: None,
            },
            None => {
                child.signal_group("SIGTERM");
                within(KILL_GRACE, until_exit(&mut reports, output)).await;
                // Whatever ignored SIGTERM, the shell included.
                child.signal_group("SIGKILL");
                within(DRAIN_GRACE, until_closed(&mut reports, output)).await;
                CommandEnding::TimedOut(timeout)
            }
        };
        drop(child);
        Ok(ending)
    }
}
