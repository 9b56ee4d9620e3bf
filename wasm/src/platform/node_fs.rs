//! [`NodeFs`]: the runtime's [`FileSystem`] over Node's synchronous `fs`
//! functions, so the change set, config, auth and tools read and write a
//! real project from WebAssembly.

use super::js_error::io_error;
use super::node::builtin_module;
use code_mesh_runtime::fs::{DirEntry, FileKind, FileSystem, Metadata};
use std::cell::RefCell;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// Node's `fs` module object.
    #[derive(Debug, Clone)]
    pub type NodeFsModule;

    #[wasm_bindgen(method, catch, js_name = readFileSync)]
    fn read_file_sync(this: &NodeFsModule, path: &str) -> Result<js_sys::Uint8Array, JsValue>;

    #[wasm_bindgen(method, catch, js_name = openSync)]
    fn open_sync(this: &NodeFsModule, path: &str, flags: &str, mode: u32) -> Result<f64, JsValue>;

    #[wasm_bindgen(method, catch, js_name = writeSync)]
    fn write_sync(this: &NodeFsModule, fd: f64, data: &[u8]) -> Result<f64, JsValue>;

    #[wasm_bindgen(method, catch, js_name = fsyncSync)]
    fn fsync_sync(this: &NodeFsModule, fd: f64) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = closeSync)]
    fn close_sync(this: &NodeFsModule, fd: f64) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = renameSync)]
    fn rename_sync(this: &NodeFsModule, from: &str, to: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = appendFileSync)]
    fn append_file_sync(this: &NodeFsModule, path: &str, data: &[u8]) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = unlinkSync)]
    fn unlink_sync(this: &NodeFsModule, path: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = lstatSync)]
    fn lstat_sync(this: &NodeFsModule, path: &str) -> Result<NodeStats, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readlinkSync)]
    fn readlink_sync(this: &NodeFsModule, path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = realpathSync)]
    fn realpath_sync(this: &NodeFsModule, path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readdirSync)]
    fn readdir_sync(
        this: &NodeFsModule,
        path: &str,
        options: &JsValue,
    ) -> Result<js_sys::Array, JsValue>;

    #[wasm_bindgen(method, catch, js_name = mkdirSync)]
    fn mkdir_sync(this: &NodeFsModule, path: &str, options: &JsValue) -> Result<JsValue, JsValue>;

    /// What `lstatSync` returns.
    type NodeStats;

    #[wasm_bindgen(method, js_name = isFile)]
    fn is_file(this: &NodeStats) -> bool;

    #[wasm_bindgen(method, js_name = isDirectory)]
    fn is_directory(this: &NodeStats) -> bool;

    #[wasm_bindgen(method, js_name = isSymbolicLink)]
    fn is_symbolic_link(this: &NodeStats) -> bool;

    #[wasm_bindgen(method, getter)]
    fn size(this: &NodeStats) -> f64;

    #[wasm_bindgen(method, getter, js_name = mtimeMs)]
    fn mtime_ms(this: &NodeStats) -> f64;

    #[wasm_bindgen(method, getter)]
    fn mode(this: &NodeStats) -> f64;

    /// One entry of `readdirSync(path, { withFileTypes: true })`.
    type NodeDirent;

    #[wasm_bindgen(method, getter)]
    fn name(this: &NodeDirent) -> String;

    #[wasm_bindgen(method, js_name = isFile)]
    fn is_file(this: &NodeDirent) -> bool;

    #[wasm_bindgen(method, js_name = isDirectory)]
    fn is_directory(this: &NodeDirent) -> bool;

    #[wasm_bindgen(method, js_name = isSymbolicLink)]
    fn is_symbolic_link(this: &NodeDirent) -> bool;
}

thread_local! {
    /// Node's `fs`, loaded once.
    static FS: RefCell<Option<NodeFsModule>> = const { RefCell::new(None) };
}

/// How many temporary names an atomic write tries.
const TEMP_NAME_ATTEMPTS: u32 = 16;

/// A project on the machine's disk, reached through Node's `fs` module
/// (synchronous calls: the runtime's file door is synchronous). Holds no
/// JavaScript value itself (the module is kept per thread), so it is
/// `Send + Sync` as the [`FileSystem`] trait asks.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeFs;

impl NodeFs {
    /// Node's `fs`, or an error when this is not Node.
    fn module() -> io::Result<NodeFsModule> {
        FS.with(|cached| {
            if let Some(fs) = cached.borrow().as_ref() {
                return Ok(fs.clone());
            }
            let fs: NodeFsModule = builtin_module("fs")
                .map_err(|message| io::Error::new(io::ErrorKind::Unsupported, message))?
                .unchecked_into();
            *cached.borrow_mut() = Some(fs.clone());
            Ok(fs)
        })
    }

    /// Whether Node's `fs` can be had (this is Node).
    pub fn available() -> bool {
        Self::module().is_ok()
    }

    /// Appends `bytes` to the file at `path`, creating it (not its
    /// directory). For logs written a record at a time.
    pub fn append(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        Self::module()?
            .append_file_sync(&text(path)?, bytes)
            .map_err(|e| io_error(&e))
    }

    /// `path` with every symlink resolved (`fs.realpathSync`).
    pub fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Self::module()?
            .realpath_sync(&text(path)?)
            .map(PathBuf::from)
            .map_err(|e| io_error(&e))
    }

    /// Writes `contents` to a new temporary file beside `path` (created with
    /// `mode`), flushes it to disk, and renames it over `path`.
    fn replace(fs: &NodeFsModule, path: &str, contents: &[u8], mode: u32) -> io::Result<()> {
        let (dir, name) = match path.rfind('/') {
            Some(slash) => (&path[..slash], &path[slash + 1..]),
            None => (".", path),
        };
        let mut last_error = None;
        for _ in 0..TEMP_NAME_ATTEMPTS {
            let temp = format!("{dir}/.{name}.{:016x}.tmp", random_number());
            let fd = match fs.open_sync(&temp, "wx", mode) {
                Ok(fd) => fd,
                Err(thrown) => {
                    let error = io_error(&thrown);
                    if error.kind() == io::ErrorKind::AlreadyExists {
                        last_error = Some(error);
                        continue;
                    }
                    return Err(error);
                }
            };
            let written = write_all(fs, fd, contents)
                .and_then(|()| fs.fsync_sync(fd).map_err(|e| io_error(&e)));
            let closed = fs.close_sync(fd).map_err(|e| io_error(&e));
            let renamed = written
                .and(closed)
                .and_then(|()| fs.rename_sync(&temp, path).map_err(|e| io_error(&e)));
            if renamed.is_err() {
                let _ = fs.unlink_sync(&temp);
            }
            return renamed;
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("could not name a temporary file")))
    }
}

/// Writes all of `bytes` to the open file `fd`.
fn write_all(fs: &NodeFsModule, fd: f64, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        let written = fs.write_sync(fd, bytes).map_err(|e| io_error(&e))?;
        // `writeSync` returns a byte count no larger than what it was given.
        let count = (written.max(0.0) as usize).min(bytes.len());
        if count == 0 {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                "the file system accepted no bytes",
            ));
        }
        bytes = &bytes[count..];
    }
    Ok(())
}

/// A number unlikely to repeat, for temporary file names.
fn random_number() -> u64 {
    // Two draws of 32 bits each; `Math.random` is in [0, 1).
    let draw = || (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    (draw() << 32) | draw()
}

/// `path` as the string Node takes; a path that is not UTF-8 cannot be named.
fn text(path: &Path) -> io::Result<String> {
    path.to_str().map(str::to_string).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not valid UTF-8, which Node cannot name",
                path.display()
            ),
        )
    })
}

/// The kind a stats or dirent object tells.
fn kind(is_link: bool, is_dir: bool, is_file: bool) -> FileKind {
    if is_link {
        FileKind::Symlink
    } else if is_dir {
        FileKind::Dir
    } else if is_file {
        FileKind::File
    } else {
        FileKind::Other
    }
}

impl FileSystem for NodeFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        Self::module()?
            .read_file_sync(&text(path)?)
            .map(|bytes| bytes.to_vec())
            .map_err(|e| io_error(&e))
    }

    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        let fs = Self::module()?;
        let target = text(path)?;
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            self.create_dir_all(dir)?;
        }
        // An existing file keeps its permissions; a new one gets the usual 0666 less umask.
        let mode = match fs.lstat_sync(&target) {
            Ok(stats) if stats.is_directory() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    format!("{target} is a directory"),
                ));
            }
            Ok(stats) => (stats.mode() as u32) & 0o7777,
            Err(thrown) => {
                let error = io_error(&thrown);
                if error.kind() != io::ErrorKind::NotFound {
                    return Err(error);
                }
                0o666
            }
        };
        Self::replace(&fs, &target, contents, mode)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        Self::module()?
            .unlink_sync(&text(path)?)
            .map_err(|e| io_error(&e))
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let stats = Self::module()?
            .lstat_sync(&text(path)?)
            .map_err(|e| io_error(&e))?;
        let modified = stats.mtime_ms();
        Ok(Metadata {
            kind: kind(
                stats.is_symbolic_link(),
                stats.is_directory(),
                stats.is_file(),
            ),
            len: stats.size().max(0.0) as u64,
            modified: (modified.is_finite() && modified >= 0.0)
                .then(|| SystemTime::UNIX_EPOCH + Duration::from_secs_f64(modified / 1000.0)),
        })
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        Self::module()?
            .readlink_sync(&text(path)?)
            .map(PathBuf::from)
            .map_err(|e| io_error(&e))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"withFileTypes".into(), &true.into())
            .map_err(|e| io_error(&e))?;
        let entries = Self::module()?
            .readdir_sync(&text(path)?, &options)
            .map_err(|e| io_error(&e))?;
        Ok(entries
            .iter()
            .map(|entry| {
                let entry: NodeDirent = entry.unchecked_into();
                DirEntry {
                    name: OsString::from(entry.name()),
                    kind: kind(
                        entry.is_symbolic_link(),
                        entry.is_directory(),
                        entry.is_file(),
                    ),
                }
            })
            .collect())
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"recursive".into(), &true.into())
            .map_err(|e| io_error(&e))?;
        Self::module()?
            .mkdir_sync(&text(path)?, &options)
            .map(|_| ())
            .map_err(|e| io_error(&e))
    }
}
