//! The `bbgen` binary: parses the command line, runs, and turns every failure into one line on
//! stderr and a non-zero exit code (2 for usage, 1 at run time).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use bbgen::Dataset;
use bbgen::cli::{Cli, Command, patient_fhir, patient_json, resolve_user};
use bbgen::pipeline;

/// mimalloc: the renderers allocate and free many short-lived buffers on several threads,
/// where glibc's allocator spends a quarter of the run returning pages to the kernel and
/// faulting them back in.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see bbgen --help)");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Some(Command::Patient(args)) => {
            let opts = args.data.options();
            let i = resolve_user(&args.who, &opts)?;
            let ds = Dataset::new(opts).map_err(|e| e.to_string())?;
            let json = if args.fhir {
                let (codes, _) = args.data.codes()?;
                patient_fhir(&ds, i, &codes)
            } else {
                patient_json(&ds, i)
            };
            std::io::stdout()
                .write_all(&json)
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
        None => {
            let args = cli.generate;
            let cfg = args.config()?;
            if args.stdout.is_some() {
                let s = pipeline::run_to_stdout(&cfg).map_err(|e| e.to_string())?;
                if !args.quiet {
                    eprintln!(
                        "wrote {} beneficiaries, {} claims, {:.1} MB to standard output in {:.1} s",
                        s.users,
                        s.claims,
                        s.bytes as f64 / 1e6,
                        s.seconds
                    );
                }
                return Ok(());
            }
            let s = pipeline::run(&cfg).map_err(|e| e.to_string())?;
            if !args.quiet {
                eprintln!(
                    "wrote {} beneficiaries, {} claims, {} files, {:.1} MB to {} in {:.1} s",
                    s.users,
                    s.claims,
                    s.files,
                    s.bytes as f64 / 1e6,
                    cfg.out.display(),
                    s.seconds
                );
            }
            Ok(())
        }
    }
}
