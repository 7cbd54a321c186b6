//! Scheduling: chunks of beneficiaries rendered on worker threads and handed to the writer in
//! chunk order, with at most a window of chunks in flight.

use std::collections::BTreeMap;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use crate::dataset::{BLOCK, Dataset};
use crate::emit::compress::Compression;
use crate::emit::sandbox::users::UserTally;
use crate::emit::{BufferPool, Chunk, Emitter, Out, OutFile, Part, RenderContext, Stream};

use super::{RunConfig, RunError};

/// Chunks in flight per worker thread (rendered but not yet written).
const WINDOW_PER_THREAD: u64 = 2;

/// A rendered chunk on its way to the writer.
pub(super) struct Rendered {
    pub(super) parts: Vec<Part>,
    pub(super) files: Vec<OutFile>,
    pub(super) tallies: Vec<UserTally>,
    pub(super) claims: u64,
}

/// What the run needs before its chunks: the dataset, its chunks and emitters.
pub(super) struct Plan {
    pub(super) ds: Dataset,
    pub(super) users: Range<u64>,
    pub(super) chunks: Vec<Range<u64>>,
    pub(super) emitters: Vec<Box<dyn Emitter>>,
    pub(super) streams: Vec<Stream>,
}

impl Plan {
    pub(super) fn new(cfg: &RunConfig, emitters: Vec<Box<dyn Emitter>>) -> Result<Plan, RunError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.threads)
            .build()
            .map_err(|e| RunError(format!("cannot start {} threads: {e}", cfg.threads)))?;
        let ds = pool
            .install(|| Dataset::new(cfg.options.clone()))
            .map_err(|e| RunError(e.0))?;
        let users = match cfg.shard {
            Some(s) => s.range(cfg.options.user_range()),
            None => cfg.options.user_range(),
        };
        let streams = emitters.iter().flat_map(|e| e.streams()).collect();
        Ok(Plan {
            ds,
            chunks: chunk_ranges(users.clone()),
            users,
            emitters,
            streams,
        })
    }

    /// Renders every chunk on `cfg.threads` workers and hands them to `consume` in chunk
    /// order, on the calling thread. At most a window of chunks is rendered ahead of
    /// `consume`.
    pub(super) fn run(
        &self,
        cfg: &RunConfig,
        buffers: &BufferPool,
        mut consume: impl FnMut(Rendered) -> Result<(), RunError> + Send,
    ) -> Result<(), RunError> {
        let mut progress = super::progress::Progress::new(
            cfg.progress,
            self.users.end - self.users.start,
            &cfg.out,
        );
        let next = AtomicU64::new(0);
        let written = Mutex::new(0u64);
        let room = Condvar::new();
        let abort = AtomicBool::new(false);
        let window = WINDOW_PER_THREAD * cfg.threads as u64;
        let ctx = RenderContext {
            options: &cfg.options,
            buffers,
            codes: &cfg.codes,
        };
        let outcome = std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(u64, io::Result<Rendered>)>();
            for _ in 0..cfg.threads {
                let tx = tx.clone();
                let (next, written, room, abort, ctx) = (&next, &written, &room, &abort, &ctx);
                scope.spawn(move || {
                    loop {
                        let c = next.fetch_add(1, Ordering::SeqCst);
                        if c >= self.chunks.len() as u64 {
                            break;
                        }
                        {
                            let mut w = written.lock().expect("lock");
                            while c >= *w + window && !abort.load(Ordering::SeqCst) {
                                w = room.wait(w).expect("lock");
                            }
                        }
                        if abort.load(Ordering::SeqCst) {
                            break;
                        }
                        let r = render_chunk(
                            &self.ds,
                            &self.emitters,
                            &self.streams,
                            ctx,
                            self.chunks[c as usize].clone(),
                            cfg.compress,
                        );
                        if tx.send((c, r)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);

            let mut pending: BTreeMap<u64, Rendered> = BTreeMap::new();
            let mut expect = 0u64;
            let fail = |e: RunError| {
                abort.store(true, Ordering::SeqCst);
                room.notify_all();
                Err(e)
            };
            for (c, r) in rx.iter() {
                if let Err(e) = super::interrupt::check() {
                    return fail(e);
                }
                let r = match r {
                    Ok(r) => r,
                    Err(e) => return fail(RunError(format!("cannot render chunk: {e}"))),
                };
                pending.insert(c, r);
                while let Some(r) = pending.remove(&expect) {
                    let step = super::progress::Step::of(&r);
                    if let Err(e) = consume(r) {
                        return fail(e);
                    }
                    progress.advance(step);
                    expect += 1;
                    *written.lock().expect("lock") = expect;
                    room.notify_all();
                }
            }
            Ok(())
        });
        progress.clear();
        outcome
    }
}

/// Users per chunk: small enough that the chunks in flight stay well under the memory target
/// (a chunk's FHIR alone is about a megabyte per user), large enough that handing chunks
/// around costs nothing next to generating them. Chunks never straddle a slot-index block, so
/// each starts with a short slot look-up.
const CHUNK_USERS: u64 = 2;

fn chunk_ranges(users: Range<u64>) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    let mut lo = users.start;
    while lo < users.end {
        let block_end = (lo / BLOCK + 1) * BLOCK;
        let hi = (lo + CHUNK_USERS).min(block_end).min(users.end);
        out.push(lo..hi);
        lo = hi;
    }
    out
}

fn render_chunk(
    ds: &Dataset,
    emitters: &[Box<dyn Emitter>],
    streams: &[Stream],
    ctx: &RenderContext<'_>,
    users: Range<u64>,
    compress: Compression,
) -> io::Result<Rendered> {
    let chunk = Chunk {
        entries: ds.chunk(users),
    };
    let mut out = Out::default();
    for e in emitters {
        e.render(ctx, &chunk, &mut out);
    }
    for (part, stream) in out.parts.iter_mut().zip(streams) {
        crate::sink::prepare(part, stream, compress, ctx.buffers)?;
    }
    let tallies = chunk
        .entries
        .iter()
        .map(|(b, c)| UserTally::of(b, c))
        .collect();
    let claims = chunk.entries.iter().map(|(_, c)| c.len() as u64).sum();
    Ok(Rendered {
        parts: out.parts,
        files: out.files,
        tallies,
        claims,
    })
}
