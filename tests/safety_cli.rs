//! Nothing hidden on the command line: a closed stdout, clap's whole messages and the right
//! bounds, the `--end-date` range, the `--formats` default, the progress display in a real
//! terminal (a pty from `script`), the summary's wording and an empty shard.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use common::{bbgen, generate, manifest};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// Defect 6: `bbgen --stdout ndjson | head` printed "Broken pipe" and exited 1.

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_exit_0() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bbgen"))
        .args(["--users", "2000", "--stdout", "ndjson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = vec![0u8; 4096];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The reader is gone (like `head` exiting): the next write meets a closed pipe.
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "nothing said about the closed pipe");
    assert!(head.starts_with(b"{\"resourceType\":\"Patient\""));
}

// Defect 7: error messages lost their useful part.

#[test]
fn bad_arguments_get_clap_s_whole_message_and_exit_2() {
    for (args, wants, never) in [
        (
            vec!["patient", "--users", "300"],
            vec!["<USER>", "Usage: bbgen patient"],
            vec![],
        ),
        (
            vec!["--usres", "5"],
            vec!["tip: a similar argument exists: '--users'"],
            vec![],
        ),
        (
            vec!["--stdout", "xml"],
            vec!["[possible values: ndjson]"],
            vec![],
        ),
        (
            vec!["--seed", "-1"],
            vec!["invalid value '-1' for '--seed <S>'"],
            vec!["unexpected argument"],
        ),
        (
            vec!["--users", "0"],
            vec!["0 is not in 1..=1000000000000"],
            vec!["18446744073709551615"],
        ),
        (
            vec!["--users", "1000000000000000"],
            vec!["for '--users <N>'"],
            vec!["--offset"],
        ),
        (
            vec!["--offset", "999999999999", "--users", "5"],
            vec!["--offset 999999999999 + --users 5"],
            vec![],
        ),
    ] {
        let o = bbgen(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for w in wants {
            assert!(err.contains(w), "{args:?}: {err} lacks {w}");
        }
        for n in never {
            assert!(!err.contains(n), "{args:?}: {err} has {n}");
        }
        assert!(err.contains("--help"), "{args:?}: {err}");
    }
}

// Defect 8: --end-date allowed invalid FHIR instants and codes before their systems existed.

#[test]
fn end_date_stays_where_every_date_is_valid_and_every_code_system_existed() {
    for bad in ["9999-12-31", "1970-01-01", "2019-09-29"] {
        let o = bbgen(&["--end-date", bad, "--users", "1"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains("--end-date") && err.contains("2015-10-01"),
            "{err}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "2", "--formats", "fhir", "--claims-scale", "0.1"];
    let first = generate(
        tmp.path(),
        "first",
        &[&args[..], &["--end-date", "2019-09-30"]].concat(),
    );
    assert_eq!(manifest(&first)["options"]["start_date"], "2015-10-01");
    let last = generate(
        tmp.path(),
        "last",
        &[&args[..], &["--end-date", "9999-12-30"]].concat(),
    );
    let patients = std::fs::read_to_string(last.join("fhir/Patient.ndjson")).unwrap();
    assert!(
        patients.contains("\"lastUpdated\":\"9999-12-31T00:00:00.000+00:00\""),
        "{patients}"
    );
}

// Defect 10: progress, summary and empty shards.

/// Runs bbgen in a pseudo-terminal (so the bar is drawn) and returns everything it printed.
fn in_terminal(args: &str, interrupt_when_writing: Option<&Path>) -> String {
    let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_bbgen"));
    let mut child = Command::new("script")
        .args(["-qfec", &cmd, "/dev/null"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script(1) runs");
    if let Some(out) = interrupt_when_writing {
        let lock = out.join(".bbgen.lock");
        let probe = out.join(".bbgen-partial/credentials.csv");
        while !probe.exists() {
            assert!(child.try_wait().unwrap().is_none(), "bbgen ended early");
            sleep(Duration::from_millis(20));
        }
        // Let the bar draw once, then Ctrl-C the bbgen process the lock file names.
        sleep(Duration::from_millis(500));
        let owner = std::fs::read_to_string(lock).unwrap();
        let pid: i32 = owner
            .split_whitespace()
            .nth(1)
            .unwrap()
            .trim_end_matches(',')
            .parse()
            .unwrap();
        // SAFETY: kill(2) on the pid bbgen recorded for itself; it is still running.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    }
    let o = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn progress_shows_users_claims_bytes_speed_path_free_space_eta_and_the_closing_step() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("shown");
    let screen = in_terminal(
        &format!(
            "--users 60 --formats csv,parquet --claims-scale 0.2 --out {}",
            out.display()
        ),
        None,
    );
    for want in [
        "users · ETA",
        "claims · ",
        "B/s → ",
        &out.display().to_string(),
        " free)",
        "closing: Parquet footers",
    ] {
        assert!(screen.contains(want), "{want:?} not in {screen:?}");
    }
    assert!(screen.contains("wrote 60 beneficiaries, "), "{screen:?}");
}

#[test]
fn ctrl_c_clears_the_bar_and_says_what_happened() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let screen = in_terminal(
        &format!(
            "--users 200000 --formats csv --claims-scale 0.1 --no-space-check --out {}",
            out.display()
        ),
        Some(&out),
    );
    let said = screen
        .find("bbgen: stopped by SIGINT (Ctrl-C)")
        .expect(&screen);
    let last_bar = screen[..said].rfind("users · ETA").expect(&screen);
    assert!(
        screen[last_bar..said].contains("\x1b[2K"),
        "bar not cleared: {screen:?}"
    );
    assert!(!out.exists());
}

#[test]
fn the_summary_counts_in_words_with_thousands_separators() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let o = bbgen(&[
        "--users",
        "1",
        "--formats",
        "csv",
        "--out",
        one.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert!(err.contains("wrote 1 beneficiary, "), "{err}");
    let many = tmp.path().join("many");
    let o = bbgen(&[
        "--users",
        "30",
        "--formats",
        "csv",
        "--out",
        many.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    let claims = manifest(&many)["counts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.ends_with("_claims.csv") || k.ends_with("partd_events.csv"))
        .map(|(_, v)| v.as_u64().unwrap())
        .sum::<u64>();
    assert!(claims >= 1000, "{claims}");
    let with_commas = format!("{},{:03} claims", claims / 1000, claims % 1000);
    assert!(
        err.contains(&format!("wrote 30 beneficiaries, {with_commas}")),
        "{err}"
    );
}

#[test]
fn a_shard_with_no_users_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = bbgen(&[
        "--users",
        "3",
        "--shard",
        "5/1000",
        "--formats",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("shard 5/1000 of 3 users holds no users"),
        "{err}"
    );
    assert_eq!(manifest(&out)["counts"]["csv/beneficiaries.csv"], 0);
}
