//! The state file: an SQLite database (bundled SQLite, through rusqlite) with one row per entity,
//! written per change by one writer thread.
//!
//! **The file.** Table `entities (kind, user_id, app_id, id, body, big_path, big)`, keyed by the
//! first four: `body` is the entity's JSON, except for its longest string when that is over
//! [`BIG`] bytes (an image's base64), which is kept whole in `big` (`big_path` its JSON pointer in
//! the entity, `""` left in its place): written as a bound parameter it is copied, not escaped
//! character by character, which makes storing a large image several times faster. Table
//! `meta (name, value)`. The header carries
//! `application_id` [`APPLICATION_ID`] ("CLEM") and `user_version` [`FORMAT`], which is how a file
//! is recognised as the emulator's before SQLite opens it: any other file, another program's
//! SQLite database included, is refused and left as it is. A new file is made complete under a
//! temporary name, mode 0600, then renamed into place, so the path never holds a half-made file.
//! It runs in WAL mode with `synchronous = NORMAL` and `locking_mode = EXCLUSIVE` (a second
//! emulator on the same file is refused). A commit has reached the operating system when it
//! returns, so it survives the process dying at any moment (`kill -9`, a panic, the OOM killer);
//! after a power cut or a crash of the machine the file is intact but may lack the last changes.
//! `FULL` (an fsync per commit) would keep those too, at about 7 ms per change on the project's
//! machines where the whole request costs 1 ms: not worth it for a test server.
//!
//! **Ordering.** Changes are taken from the in-memory state and queued under the state lock
//! ([`crate::shared::Shared::flush`]), so the queue holds them in the order they were made; the
//! writer applies them in that order, each batch in a transaction (batches queued together share
//! one). The file is thus always the in-memory state as it was at some moment, never a mix. The
//! lock is not held while the writer serialises or commits: reads never wait for the disk. A
//! request that changed something is answered once its batch is committed ([`Store::wait`]), so
//! what a client was told succeeded is in the file; a concurrent read may see a change a moment
//! before it is committed (its writer has not been answered yet).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::{Connection, ErrorCode, OpenFlags, params};
use serde_json::Value;
use tokio::sync::watch;

use crate::shared::lock;
use crate::state::{Op, RowKey, State, random_id};

/// `PRAGMA application_id` of an emulator state file: "CLEM".
pub(crate) const APPLICATION_ID: i32 = 0x434c_454d;

/// `PRAGMA user_version`: the layout of the rows. A file of a later format is refused.
pub(crate) const FORMAT: i32 = 1;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A string longer than this is stored outside the entity's JSON (see the module docs).
pub(crate) const BIG: usize = 64 * 1024;

const SCHEMA: &str = "
    BEGIN;
    PRAGMA application_id = 1129071949;
    PRAGMA user_version = 1;
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE entities (
        kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        big_path TEXT,
        big TEXT,
        PRIMARY KEY (kind, user_id, app_id, id)
    );
    COMMIT;
";

/// Opens the state file at `path` (creating it when it does not exist or is empty), checks it is
/// an emulator state that can be written, and reads the state. Errors say what is wrong and what
/// to do; a refused file is left untouched.
pub(crate) fn open(path: &Path) -> Result<(Connection, State), String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(format!(
                "cannot be created: part of its folder's path is a file ({e}); choose another \
                 path"
            ));
        }
        Err(e) => {
            return Err(format!(
                "cannot be read ({e}); choose a location the emulator can read and write"
            ));
        }
        Ok(m) if m.is_dir() => {
            return Err("is a folder: give the path of a file (created if missing)".into());
        }
        Ok(m) if !m.is_file() => {
            return Err(
                "is not a regular file: give the path of a file (created if missing)".into(),
            );
        }
        // An empty file (from `mktemp`, say) holds nothing to lose: it becomes a new state.
        Ok(m) if m.len() == 0 => create(path)?,
        Ok(_) => check_header(path)?,
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| explain(&e, "cannot be opened"))?;
    configure(&conn)?;
    let state = load(&conn)?;
    Ok((conn, state))
}

/// Refuses a file that is not an SQLite database with the emulator's application id and a
/// format it reads, by its first 100 bytes (SQLite's header), before SQLite touches it.
fn check_header(path: &Path) -> Result<(), String> {
    const LEAVE: &str = "the emulator leaves it as it is: give another path, or move the file \
                         away to start from an empty state";
    let mut head = Vec::with_capacity(4096);
    File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .map_err(|e| format!("cannot be read ({e})"))?;
    if head.len() < 100 || !head.starts_with(SQLITE_MAGIC) {
        if head.trim_ascii_start().starts_with(b"{") && is_old_json_state(path) {
            return Err(format!(
                "is a JSON state file of an earlier clarifai-emulator; this version keeps its \
                 state in an SQLite database and does not read the JSON format; {LEAVE}"
            ));
        }
        return Err(format!(
            "is not a clarifai-emulator state file (not an SQLite database); {LEAVE}"
        ));
    }
    let field =
        |at: usize| i32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let (version, app_id) = (field(60), field(68));
    if app_id != APPLICATION_ID {
        return Err(format!(
            "is an SQLite database of another program (application_id {app_id:#x}), not a \
             clarifai-emulator state; {LEAVE}"
        ));
    }
    if version > FORMAT {
        return Err(format!(
            "was written by a later clarifai-emulator (format {version}; this one reads format \
             {FORMAT}); use that version, or give another path"
        ));
    }
    Ok(())
}

/// Whether the file is a state of the emulator's former format: a JSON object holding `users`
/// and/or `keys`, objects, and nothing else.
fn is_old_json_state(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(serde_json::Value::Object(top)) = serde_json::from_slice(&bytes) else {
        return false;
    };
    !top.is_empty()
        && top
            .iter()
            .all(|(k, v)| (k == "users" || k == "keys") && v.is_object())
}

/// Makes a new, empty state file at `path`: written complete under a temporary name in the same
/// folder (mode 0600: it holds key secrets), then renamed into place.
fn create(path: &Path) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or("has no file name: give the path of a file")?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.new", &random_id()[..12]));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&tmp).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "cannot be created: its folder {} does not exist ({e}); create the folder or \
                 choose another path",
                dir.display()
            )
        } else {
            format!(
                "cannot be created in {} ({e}); choose a location the emulator can write to",
                dir.display()
            )
        }
    })?;
    let made = Connection::open_with_flags(&tmp, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .and_then(|conn| {
            conn.execute_batch(SCHEMA)?;
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('written_by', ?1)",
                params![concat!("clarifai-emulator ", env!("CARGO_PKG_VERSION"))],
            )?;
            conn.close().map_err(|(_, e)| e)
        })
        .map_err(|e| explain(&e, "cannot be created"))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| format!("cannot be created ({e})")));
    if made.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    made?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Sets the connection up and proves the file can be written (the first write also takes the
/// exclusive lock, held until the emulator stops).
fn configure(conn: &Connection) -> Result<(), String> {
    let setup = || -> rusqlite::Result<(i32, i32)> {
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // See the module docs: durable across a crash of the process, not of the machine.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Once a large image has gone through the log, give the space back.
        conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
        let app_id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app_id, version))
    };
    let (app_id, version) = setup().map_err(|e| explain(&e, "cannot be opened"))?;
    if app_id != APPLICATION_ID || !(1..=FORMAT).contains(&version) {
        return Err(format!(
            "is not a clarifai-emulator state of a format this version reads (application_id \
             {app_id:#x}, format {version})"
        ));
    }
    conn.execute(
        "INSERT INTO meta (name, value) VALUES ('opened_at', ?1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![crate::time::now()],
    )
    .map_err(|e| explain(&e, "cannot be written"))?;
    Ok(())
}

/// Reads every row: users, then apps, then the rest in the order of their first write.
fn load(conn: &Connection) -> Result<State, String> {
    let mut state = State::default();
    const COLUMNS: &str = "SELECT kind, user_id, app_id, body, big_path, big FROM entities";
    let queries = [
        format!("{COLUMNS} WHERE kind = 'user' ORDER BY rowid"),
        format!("{COLUMNS} WHERE kind = 'app' ORDER BY rowid"),
        format!("{COLUMNS} WHERE kind NOT IN ('user', 'app') ORDER BY rowid"),
    ];
    for sql in queries {
        let mut stmt = conn
            .prepare(&sql)
            .map_err(|e| explain(&e, "cannot be read"))?;
        let mut rows = stmt.query([]).map_err(|e| explain(&e, "cannot be read"))?;
        while let Some(row) = rows.next().map_err(|e| explain(&e, "cannot be read"))? {
            let text = |i| row.get_ref(i).ok().and_then(|v| v.as_str().ok());
            let (Some(kind), Some(user), Some(app), Some(body)) =
                (text(0), text(1), text(2), text(3))
            else {
                return Err("cannot be read: a row is not text".into());
            };
            let big = match (text(4), row.get_ref(5).ok().and_then(|v| v.as_str().ok())) {
                (Some(path), Some(big)) => Some((path, big.to_string())),
                _ => None,
            };
            state
                .load_row(kind, user, app, body, big)
                .map_err(|e| format!("cannot be read: {e}"))?;
        }
    }
    Ok(state)
}

/// An SQLite error, worded for the person starting the emulator. Never quotes data.
fn explain(e: &rusqlite::Error, what: &str) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
            "{what}: it is in use by another process (another emulator?); stop it or give \
             another path"
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            format!(
                "{what}: the file or its folder is not writable ({e}); choose a location the \
                 emulator can write to"
            )
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => format!(
            "{what}: it is damaged ({e}); the emulator leaves it as it is: give another path"
        ),
        Some(ErrorCode::DiskFull) => format!("{what}: the disk is full ({e})"),
        _ => format!("{what} ({e})"),
    }
}

/// How far the writer got.
#[derive(Debug, Clone, Default)]
struct Progress {
    /// Every batch up to this one is committed.
    committed: u64,
    /// The last attempt, up to this batch, failed (the batches are retried with the next).
    failed_through: u64,
    error: Option<Arc<str>>,
    /// The writer has stopped.
    stopped: bool,
}

/// Changes queued together: one request's, or a background task's.
#[derive(Debug)]
struct Batch {
    seq: u64,
    ops: Vec<Op>,
}

/// A change as written: the entity's JSON text, its big string apart.
#[derive(Debug)]
enum Row {
    Put {
        key: RowKey,
        body: String,
        big: Option<(String, String)>,
    },
    Delete(RowKey),
}

/// Turns a batch's changes into rows (the serialising, done by the writer, outside the lock).
fn rows(batch: Batch) -> (u64, Vec<Row>) {
    let rows = batch
        .ops
        .into_iter()
        .map(|op| match op {
            Op::Put(key, mut body) => {
                let big = take_big_string(&mut body);
                Row::Put {
                    key,
                    body: body.to_string(),
                    big,
                }
            }
            Op::Delete(key) => Row::Delete(key),
        })
        .collect();
    (batch.seq, rows)
}

/// Takes the longest string of `v` out when it is over [`BIG`] bytes, leaving `""`: its JSON
/// pointer and the string.
fn take_big_string(v: &mut Value) -> Option<(String, String)> {
    fn longest(v: &Value, path: &mut String, best: &mut Option<(String, usize)>) {
        match v {
            Value::String(s) if s.len() > best.as_ref().map_or(BIG, |b| b.1) => {
                *best = Some((path.clone(), s.len()));
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    longest(x, path, best);
                    path.truncate(len);
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    longest(x, path, best);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut best = None;
    longest(v, &mut String::new(), &mut best);
    let (path, _) = best?;
    match v.pointer_mut(&path)? {
        Value::String(s) => Some((path, std::mem::take(s))),
        _ => None,
    }
}

/// The writer of the state file: a thread owning the connection, fed batches in order.
#[derive(Debug)]
pub(crate) struct Store {
    /// The queue, and the number of the last batch queued; `None` once closed.
    queue: Mutex<Option<(mpsc::Sender<Batch>, u64)>>,
    progress: Arc<watch::Sender<Progress>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Store {
    /// Starts the writer on an opened file.
    pub(crate) fn start(conn: Connection, path: PathBuf) -> std::io::Result<Store> {
        let (tx, rx) = mpsc::channel();
        let progress = Arc::new(watch::Sender::new(Progress::default()));
        let writer_progress = progress.clone();
        let thread = std::thread::Builder::new()
            .name("clarifai-emulator-state".into())
            .spawn(move || write_loop(conn, &rx, &writer_progress, &path))?;
        Ok(Store {
            queue: Mutex::new(Some((tx, 0))),
            progress,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues `ops` and returns the batch's number. Call it under the state lock, so that
    /// batches queue in the order of the changes they hold.
    pub(crate) fn send(&self, ops: Vec<Op>) -> Result<u64, String> {
        let mut queue = lock(&self.queue);
        let Some((tx, last)) = queue.as_mut() else {
            return Err("has been closed (the emulator is stopping)".into());
        };
        let seq = *last + 1;
        tx.send(Batch { seq, ops })
            .map_err(|_| "has been closed (its writer stopped)")?;
        *last = seq;
        Ok(seq)
    }

    /// The number of the last batch queued.
    pub(crate) fn last_sent(&self) -> u64 {
        lock(&self.queue).as_ref().map_or(0, |(_, last)| *last)
    }

    /// Waits until batch `seq` is committed; the error when writing it failed.
    pub(crate) async fn wait(&self, seq: u64) -> Result<(), String> {
        let mut rx = self.progress.subscribe();
        let done = rx
            .wait_for(|p| p.committed >= seq || p.failed_through >= seq || p.stopped)
            .await
            .map(|p| p.clone())
            .unwrap_or_else(|_| Progress {
                stopped: true,
                ..Progress::default()
            });
        if done.committed >= seq {
            return Ok(());
        }
        Err(match done.error {
            Some(e) => e.to_string(),
            None => "has been closed (the emulator is stopping)".into(),
        })
    }

    /// Stops queueing, writes what is queued, closes the file (releasing its lock). Blocks.
    pub(crate) fn close(&self) {
        lock(&self.queue).take();
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
    }
}

/// Marks the writer stopped however it ends, so that no one waits for it forever.
struct StopGuard<'a>(&'a watch::Sender<Progress>);

impl Drop for StopGuard<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|p| p.stopped = true);
    }
}

fn write_loop(
    mut conn: Connection,
    rx: &mpsc::Receiver<Batch>,
    progress: &watch::Sender<Progress>,
    path: &Path,
) {
    let _guard = StopGuard(progress);
    let mut retry: Vec<(u64, Vec<Row>)> = Vec::new();
    loop {
        // Everything queued goes into one transaction (a burst costs one commit).
        let mut batches = std::mem::take(&mut retry);
        match rx.recv() {
            Ok(b) => batches.push(rows(b)),
            Err(_) if batches.is_empty() => break,
            Err(_) => {}
        }
        batches.extend(rx.try_iter().map(rows));
        let Some(last) = batches.last().map(|b| b.0) else {
            break;
        };
        match write(&mut conn, &batches) {
            Ok(()) => progress.send_modify(|p| p.committed = last),
            Err(e) => {
                let message = explain(&e, "cannot be written");
                eprintln!("clarifai-emulator: {}: {message}", path.display());
                progress.send_modify(|p| {
                    p.failed_through = last;
                    p.error = Some(message.into());
                });
                if rx_closed(rx) {
                    break;
                }
                retry = batches;
            }
        }
    }
    if let Err((_, e)) = conn.close() {
        eprintln!("clarifai-emulator: {}: closing: {e}", path.display());
    }
}

/// Whether the queue is closed and empty (the store is closing): a failed batch is then dropped.
fn rx_closed(rx: &mpsc::Receiver<Batch>) -> bool {
    matches!(rx.try_recv(), Err(mpsc::TryRecvError::Disconnected))
}

fn write(conn: &mut Connection, batches: &[(u64, Vec<Row>)]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut put = tx.prepare(
            "INSERT INTO entities (kind, user_id, app_id, id, body, big_path, big)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (kind, user_id, app_id, id) DO UPDATE
             SET body = excluded.body, big_path = excluded.big_path, big = excluded.big",
        )?;
        let mut delete = tx.prepare(
            "DELETE FROM entities WHERE kind = ?1 AND user_id = ?2 AND app_id = ?3 AND id = ?4",
        )?;
        for row in batches.iter().flat_map(|b| &b.1) {
            match row {
                Row::Put { key: k, body, big } => {
                    let (big_path, big) = big.as_ref().map(|(p, s)| (p, s)).unzip();
                    put.execute(params![
                        k.kind.as_str(),
                        k.user_id,
                        k.app_id,
                        k.id,
                        body,
                        big_path,
                        big
                    ])?;
                }
                Row::Delete(k) => {
                    delete.execute(params![k.kind.as_str(), k.user_id, k.app_id, k.id])?;
                }
            }
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_sets_the_application_id_and_format() {
        assert_eq!(APPLICATION_ID, 1_129_071_949);
        assert_eq!(&APPLICATION_ID.to_be_bytes(), b"CLEM");
        assert!(SCHEMA.contains(&format!("application_id = {APPLICATION_ID};")));
        assert!(SCHEMA.contains(&format!("user_version = {FORMAT};")));
    }

    #[test]
    fn the_longest_big_string_is_taken_out_and_found_again() {
        let big = "A".repeat(BIG + 1);
        let mut v = serde_json::json!({"data": {"a/b~": [1, big.clone()], "small": "x"}});
        let (path, taken) = take_big_string(&mut v).expect("taken");
        assert_eq!(path, "/data/a~1b~0/1");
        assert_eq!(taken, big);
        assert_eq!(v["data"]["a/b~"][1], "");
        *v.pointer_mut(&path).expect("found") = Value::String(taken);
        assert_eq!(v["data"]["a/b~"][1], big.as_str());
        let mut small = serde_json::json!({"s": "A".repeat(BIG)});
        assert!(take_big_string(&mut small).is_none());
    }
}
