//! The `bbgen` binary: parses the command line, runs, and turns every failure into a message
//! on stderr and an exit code: 2 for bad arguments (clap's whole message), 1 at run time,
//! 128 + the signal number when SIGINT or SIGTERM stopped the run.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use bbgen::Dataset;
use bbgen::api::{self, Api};
use bbgen::cli::{Cli, Command, GenerateArgs, PatientArgs};
use bbgen::emit::fhir::FhirVersion;
use bbgen::pipeline::{self, interrupt, units};
use bbgen::verify;
use std::ffi::{c_int, c_long};

/// mimalloc: the renderers allocate and free many short-lived buffers on several threads,
/// where glibc's allocator spends a quarter of the run returning pages to the kernel and
/// faulting them back in.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc v3's `include/mimalloc.h`
/// (the sources libmimalloc-sys 0.1.49 builds, pinned by the lock file).
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// mimalloc v3's default purge delay (v2's was 10 ms).
const MI_DEFAULT_PURGE_DELAY_MS: c_long = 1000;

unsafe extern "C" {
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// The allocator's purge delay: freed memory goes back to the kernel after 10 ms (mimalloc
/// v2's default) instead of v3's second. The writer threads (one per output file) free
/// multi-megabyte batches and page buffers all the time, and with the one-second delay each
/// thread's heap held much memory it had freed: 3,000 users at the default formats peaked at
/// 569 MB with 1 s, 426 MB with 10 ms, for about 3 % more CPU time (page faults). A
/// `MIMALLOC_PURGE_DELAY` in the environment wins; so does anything but v3's default in that
/// slot (another mimalloc's enum), which is then left alone.
const PURGE_DELAY_MS: c_long = 10;

fn prompt_purge() {
    // SAFETY: plain integers; called first thing in `main`, before any other thread exists
    // (mimalloc's option setter is not thread safe).
    unsafe {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
            && mi_option_get(MI_OPTION_PURGE_DELAY) == MI_DEFAULT_PURGE_DELAY_MS
        {
            mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}

fn main() -> ExitCode {
    prompt_purge();
    let cli = match Cli::parse_checked() {
        Ok(cli) => cli,
        // Help and version exit 0, errors 2, each with clap's full text.
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => match interrupt::received() {
            Some(signal) => ExitCode::from(128 + signal as u8),
            None => {
                eprintln!("error: {msg}");
                ExitCode::from(1)
            }
        },
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Some(Command::Patient(args)) => patient(&args),
        Some(Command::Verify(args)) => verify_dir(&args.dir),
        #[cfg(feature = "serve")]
        Some(Command::Serve(args)) => bbgen::serve::run(args.config()?),
        Some(Command::Merge(args)) => {
            let m = pipeline::merge::merge(&args.out, &args.shards, args.force)
                .map_err(|e| e.to_string())?;
            if !args.quiet {
                eprintln!(
                    "merged {} of {}: {}, {} to {} in {:.1} s",
                    units::count(m.shards as u64, "shard", "shards"),
                    units::count(m.users, "beneficiary", "beneficiaries"),
                    units::count(m.files as u64, "file", "files"),
                    units::bytes(m.bytes),
                    args.out.display(),
                    m.seconds
                );
            }
            Ok(())
        }
        None => {
            interrupt::install();
            generate(&cli.generate).inspect_err(|_| {
                if let Some(signal) = interrupt::received() {
                    say_interrupted(signal, &cli.generate);
                }
            })
        }
    }
}

/// `bbgen patient`: one beneficiary computed alone, as rows or as its FHIR document. The
/// name is checked before the run is prepared, so a stranger is refused at once.
fn patient(args: &PatientArgs) -> Result<(), String> {
    let opts = args.data.options();
    let i = api::resolve(&args.who, &opts).map_err(|e| e.to_string())?;
    let (codes, _) = args.data.codes()?;
    let api = Api::from_dataset(Dataset::new(opts).map_err(|e| e.to_string())?, codes);
    let bytes = match args.fhir.as_deref() {
        Some("stu3") => api.document_of(FhirVersion::Stu3, i),
        Some(_) => api.document(i),
        None => api.rows(i),
    };
    match std::io::stdout().write_all(&bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}

fn generate(args: &GenerateArgs) -> Result<(), String> {
    let cfg = args.config()?;
    let (s, place) = if args.stdout.is_some() {
        match pipeline::run_to_stdout(&cfg).map_err(|e| e.to_string())? {
            Some(s) => (s, "standard output".to_string()),
            // The reader had enough (`| head`): a normal end, said nothing about.
            None => return Ok(()),
        }
    } else {
        let s = pipeline::run(&cfg).map_err(|e| e.to_string())?;
        (s, cfg.out.display().to_string())
    };
    if !args.quiet {
        let files = match s.files {
            0 => String::new(),
            n => format!("{}, ", units::count(n as u64, "file", "files")),
        };
        eprintln!(
            "wrote {}, {}, {files}{} to {place} in {:.1} s",
            units::count(s.users, "beneficiary", "beneficiaries"),
            units::count(s.claims, "claim", "claims"),
            units::bytes(s.bytes),
            s.seconds
        );
    }
    Ok(())
}

fn say_interrupted(signal: i32, args: &GenerateArgs) {
    let what = if args.stdout.is_some() {
        "the output on standard output is incomplete".to_string()
    } else {
        format!(
            "its temporary data was removed; nothing was written to {}",
            args.out.display()
        )
    };
    eprintln!("bbgen: stopped by {}: {what}", interrupt::name(signal));
}

fn verify_dir(dir: &Path) -> Result<(), String> {
    let r = verify::verify(dir).map_err(|e| format!("cannot verify {}: {e}", dir.display()))?;
    for (label, paths) in [
        ("changed", &r.changed),
        ("missing", &r.missing),
        ("unlisted", &r.unlisted),
    ] {
        for p in paths {
            println!("{label}: {p}");
        }
    }
    if r.is_intact() {
        println!(
            "{}: {} ({}) match manifest.json",
            dir.display(),
            units::count(r.files as u64, "file", "files"),
            units::bytes(r.bytes)
        );
        return Ok(());
    }
    Err(format!(
        "{} does not match its manifest.json: {} changed, {} missing, {} unlisted",
        dir.display(),
        units::count(r.changed.len() as u64, "file", "files"),
        r.missing.len(),
        r.unlisted.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_slot_is_mimallocs_and_is_set() {
        // The test binary runs on the same allocator; the slot holds v3's default until set.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("MIMALLOC_PURGE_DELAY is set: the default cannot be checked");
            return;
        }
        // SAFETY: plain integers.
        let before = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(
            before == MI_DEFAULT_PURGE_DELAY_MS || before == PURGE_DELAY_MS,
            "slot {MI_OPTION_PURGE_DELAY} holds {before}: not mimalloc v3's purge delay"
        );
        prompt_purge();
        // SAFETY: plain integers.
        assert_eq!(
            unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) },
            PURGE_DELAY_MS
        );
    }
}
