//! Nothing lost, nothing hidden: real bbgen processes stopped by real signals, two runs on one
//! `--out`, files created during a run, `--force` over unrelated data, a tmpfs mount and a
//! symlink as `--out`, the size estimate and the free-space check, and `bbgen verify`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;

use common::{bbgen, generate};

const PARTIAL: &str = ".bbgen-partial";
const LOCK: &str = ".bbgen.lock";

/// A run long enough to be caught in the middle (it is always stopped before it ends).
const LONG_RUN: &[&str] = &[
    "--users",
    "200000",
    "--formats",
    "csv",
    "--claims-scale",
    "0.1",
    "--no-space-check",
];

fn spawn(out: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bbgen"))
        .arg("--out")
        .arg(out)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bbgen starts")
}

/// Waits until the run has opened its files in its temporary directory (it then goes on to
/// its chunks, and has not moved anything into place yet).
fn wait_until_writing(out: &Path, child: &mut Child) {
    let probe = out.join(PARTIAL).join("credentials.csv");
    while !probe.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("bbgen ended before writing: {status}");
        }
        sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn finish(child: Child) -> (Option<i32>, String) {
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn out_arg(out: &Path) -> &str {
    out.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Runs bbgen into `out` with `args`, asserting a run-time failure (exit 1); returns stderr.
fn run_fails(out: &Path, args: &[&str]) -> String {
    let mut all = vec!["--out", out_arg(out)];
    all.extend_from_slice(args);
    let o = bbgen(&all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{all:?}: {err}");
    err
}

fn verify(dir: &Path) -> Output {
    bbgen(&["verify", out_arg(dir)])
}

// Defect 1: interrupted runs left everything behind.

#[test]
fn sigint_and_sigterm_stop_the_run_remove_its_data_and_exit_130_or_143() {
    let tmp = tempfile::tempdir().unwrap();
    for (sig, code, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
    ] {
        let out = tmp.path().join(name);
        let mut child = spawn(&out, LONG_RUN);
        wait_until_writing(&out, &mut child);
        signal(&child, sig);
        let (status, err) = finish(child);
        assert_eq!(status, Some(code), "{name}: {err}");
        assert!(err.contains(&format!("stopped by {name}")), "{err}");
        assert!(err.contains("temporary data was removed"), "{err}");
        assert!(!out.exists(), "{name} left {:?}", names(&out));
    }
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

#[test]
fn after_sigkill_the_next_run_finds_the_leftover_and_removes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let mut child = spawn(&out, LONG_RUN);
    wait_until_writing(&out, &mut child);
    let pid = child.id();
    signal(&child, libc::SIGKILL);
    let (status, _) = finish(child);
    assert_eq!(status, None, "killed by a signal");
    // The leftover is named after --out, not the pid, and the lock file says whose it was.
    assert!(out.join(PARTIAL).is_dir());
    let owner = fs::read_to_string(out.join(LOCK)).unwrap();
    assert!(owner.contains(&format!("pid {pid}")), "{owner}");

    let o = bbgen(&[
        "--out",
        out_arg(&out),
        "--users",
        "3",
        "--formats",
        "csv",
        "--quiet",
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("left by an interrupted run"), "{err}");
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    assert!(!out.join(PARTIAL).exists() && !out.join(LOCK).exists());
    assert!(verify(&out).status.success());

    // What earlier versions left beside --out, named after their pid, is pointed out.
    let old = tmp.path().join(".o.bbgen-partial-4242");
    fs::create_dir(&old).unwrap();
    let o = bbgen(&[
        "--out",
        out_arg(&out),
        "--users",
        "3",
        "--formats",
        "csv",
        "--force",
        "--quiet",
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(".o.bbgen-partial-4242 holds the temporary data"),
        "{err}"
    );
}

// Defect 2: data loss at the final swap.

#[test]
fn a_second_run_on_the_same_out_is_refused_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let mut first = spawn(&out, LONG_RUN);
    wait_until_writing(&out, &mut first);
    let err = run_fails(&out, &["--users", "3", "--quiet"]);
    assert!(err.contains("in use by another bbgen run"), "{err}");
    assert!(err.contains(&format!("pid {}", first.id())), "{err}");
    assert!(
        out.join(PARTIAL).join("credentials.csv").exists(),
        "first run's data kept"
    );
    signal(&first, libc::SIGTERM);
    assert_eq!(finish(first).0, Some(143));
}

/// Runs `args` into `out`, stopped (SIGSTOP) while it writes so `meanwhile` can change `out`
/// at a known moment, then resumed.
fn run_with_pause(out: &Path, args: &[&str], meanwhile: impl FnOnce()) -> (Option<i32>, String) {
    let mut child = spawn(out, args);
    wait_until_writing(out, &mut child);
    signal(&child, libc::SIGSTOP);
    meanwhile();
    signal(&child, libc::SIGCONT);
    finish(child)
}

const SMALL_RUN: &[&str] = &["--users", "40", "--formats", "csv", "--claims-scale", "0.2"];

#[test]
fn files_created_in_out_during_the_run_are_never_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    fs::create_dir(&out).unwrap();
    let (status, err) = run_with_pause(&out, SMALL_RUN, || {
        fs::write(out.join("notes.txt"), "mine").unwrap();
        fs::create_dir(out.join("csv")).unwrap();
        fs::write(out.join("csv").join("query.sql"), "select 1").unwrap();
    });
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(
        fs::read_to_string(out.join("csv/query.sql")).unwrap(),
        "select 1"
    );
    assert!(out.join("csv/carrier_claims.csv").exists());
    let v = verify(&out);
    let report = String::from_utf8_lossy(&v.stdout);
    assert!(report.contains("unlisted: notes.txt"), "{report}");
    assert!(report.contains("unlisted: csv/query.sql"), "{report}");

    // A file in the way of the dataset: the run fails and leaves it alone.
    let other = tmp.path().join("p");
    fs::create_dir(&other).unwrap();
    let (status, err) = run_with_pause(&other, SMALL_RUN, || {
        fs::write(other.join("credentials.csv"), "theirs").unwrap();
    });
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("is in the way of the new dataset"), "{err}");
    assert_eq!(
        fs::read_to_string(other.join("credentials.csv")).unwrap(),
        "theirs"
    );
    assert_eq!(names(&other), ["credentials.csv"]);
}

#[test]
fn a_symlink_as_out_stays_a_symlink_and_receives_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    generate(tmp.path(), "link", &["--users", "3", "--formats", "csv"]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("manifest.json").exists());
    generate(
        tmp.path(),
        "link",
        &["--users", "4", "--formats", "csv", "--force"],
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(verify(&real).status.success());
}

/// A tmpfs mounted for the test's life; `None` (with the reason printed) where this machine
/// does not allow mounting.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).unwrap();
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output();
        match o {
            Ok(o) if o.status.success() => Some(Tmpfs(at.to_path_buf())),
            Ok(o) => {
                eprintln!("skipped: cannot mount a tmpfs: {}", stderr(&o).trim());
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    fn is_mount_point(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        let parent = self.0.parent().unwrap();
        fs::metadata(&self.0).unwrap().dev() != fs::metadata(parent).unwrap().dev()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_mount_point_as_out_receives_the_data_and_stays_mounted() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mnt) = Tmpfs::mount(&tmp.path().join("vol"), "64m") else {
        return;
    };
    let args = [
        "--users",
        "5",
        "--formats",
        "csv,parquet",
        "--claims-scale",
        "0.2",
    ];
    generate(tmp.path(), "vol", &args);
    assert!(mnt.is_mount_point());
    assert!(verify(&mnt.0).status.success());

    // --force over the volume's previous dataset replaces it inside the mount.
    let mut again = args.to_vec();
    again.extend(["--force", "--seed", "7"]);
    generate(tmp.path(), "vol", &again);
    assert!(mnt.is_mount_point());
    assert!(verify(&mnt.0).status.success());
    assert_eq!(common::manifest(&mnt.0)["options"]["seed"], 7);

    // Unrelated data on the volume is never deleted, not even with --force.
    fs::write(mnt.0.join("manifest.json"), "{}").unwrap();
    let err = run_fails(&mnt.0, &["--users", "3", "--force", "--quiet"]);
    assert!(err.contains("not a bbgen manifest"), "{err}");
    assert!(mnt.0.join("csv/carrier_claims.csv").exists());
}

// Defect 3: --force deleted any directory.

#[test]
fn force_replaces_only_an_empty_directory_or_a_bbgen_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    for f in ["thesis.tex", "data.csv", "notes.txt", "todo.md"] {
        fs::write(work.join(f), f).unwrap();
    }
    let err = run_fails(&work, &["--users", "3", "--force", "--quiet"]);
    assert!(
        err.contains("only an empty directory or a previous bbgen dataset"),
        "{err}"
    );
    assert!(
        err.contains("data.csv, notes.txt, thesis.tex and 1 more"),
        "{err}"
    );
    assert_eq!(
        names(&work),
        ["data.csv", "notes.txt", "thesis.tex", "todo.md"]
    );

    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    generate(
        tmp.path(),
        "empty",
        &["--users", "3", "--formats", "csv", "--force"],
    );
    assert!(verify(&empty).status.success());

    // A dataset with a file of the user's: --force replaces the dataset, keeps the file.
    fs::write(empty.join("README.txt"), "keep").unwrap();
    generate(
        tmp.path(),
        "empty",
        &["--users", "2", "--formats", "rif", "--force"],
    );
    assert_eq!(
        fs::read_to_string(empty.join("README.txt")).unwrap(),
        "keep"
    );
    assert!(
        !empty.join("csv").exists(),
        "the previous dataset's files are gone"
    );
    assert!(empty.join("rif/carrier.txt").exists());

    // A file of the user's where the new dataset needs a directory: refused at the swap,
    // before the previous dataset loses anything.
    fs::write(empty.join("fhir"), "mine").unwrap();
    let err = run_fails(
        &empty,
        &["--users", "2", "--formats", "fhir", "--force", "--quiet"],
    );
    assert!(err.contains("fhir is in the way"), "{err}");
    assert_eq!(fs::read_to_string(empty.join("fhir")).unwrap(), "mine");
    let v = verify(&empty);
    assert_eq!(
        String::from_utf8_lossy(&v.stdout)
            .lines()
            .collect::<Vec<_>>(),
        ["unlisted: README.txt", "unlisted: fhir"],
        "the previous dataset is whole"
    );
}

// Defect 4: no estimate before a 75 GB write.

/// The estimate a run prints, in bytes (`bbgen: writing ~6.37 MB (…)`).
fn printed_estimate(err: &str) -> f64 {
    let line = err.lines().find(|l| l.contains("writing ~")).expect(err);
    let size = line.split('~').nth(1).unwrap();
    let mut words = size.split_whitespace();
    let value: f64 = words.next().unwrap().parse().unwrap();
    let unit = match words.next().unwrap() {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        u => panic!("unit {u}"),
    };
    value * unit
}

fn bytes_on_disk(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            match e.file_type().unwrap().is_dir() {
                true => bytes_on_disk(&e.path()),
                false => e.metadata().unwrap().len(),
            }
        })
        .sum()
}

#[test]
fn the_estimate_is_within_15_percent_of_what_runs_write() {
    let tmp = tempfile::tempdir().unwrap();
    let runs: [&[&str]; 4] = [
        &["--users", "120", "--claims-scale", "0.2"],
        &[
            "--users",
            "300",
            "--formats",
            "csv,parquet,rif,sql",
            "--claims-scale",
            "2",
        ],
        &[
            "--users",
            "150",
            "--formats",
            "fhir,csv,rif",
            "--compress",
            "zstd",
            "--claims-scale",
            "0.5",
        ],
        &[
            "--users",
            "60",
            "--formats",
            "bundles,parquet,csv",
            "--compress",
            "gzip",
            "--parquet-compression",
            "zstd",
            "--claims-scale",
            "0.2",
        ],
    ];
    for (i, args) in runs.iter().enumerate() {
        let out = tmp.path().join(format!("r{i}"));
        let mut all = vec!["--out", out_arg(&out)];
        all.extend_from_slice(args);
        let o = bbgen(&all);
        let err = stderr(&o);
        assert!(o.status.success(), "{args:?}: {err}");
        let (estimate, real) = (printed_estimate(&err), bytes_on_disk(&out) as f64);
        assert!(
            (estimate / real - 1.0).abs() <= 0.15,
            "{args:?}: estimate {estimate}, wrote {real}"
        );
        fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn a_run_that_cannot_fit_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mnt) = Tmpfs::mount(&tmp.path().join("small"), "4m") else {
        return;
    };
    // The README's run: about 75 GB, refused at once with what it needs.
    let err = run_fails(&mnt.0, &["--users", "30000", "--seed", "42"]);
    assert!(err.contains("this run needs ~"), "{err}");
    assert!(
        err.contains("--formats/--compress") && err.contains("--no-space-check"),
        "{err}"
    );
    let needs = printed_estimate(&err.replace("needs ~", "writing ~"));
    assert!((needs / 74.6e9 - 1.0).abs() <= 0.15, "{needs}");
    assert!(names(&mnt.0).is_empty(), "{:?}", names(&mnt.0));

    // With --no-space-check it tries, fills the volume, fails and cleans up.
    let err = run_fails(
        &mnt.0,
        &[
            "--users",
            "100",
            "--formats",
            "csv",
            "--no-space-check",
            "--quiet",
        ],
    );
    assert!(err.contains("No space left"), "{err}");
    assert!(names(&mnt.0).is_empty(), "{:?}", names(&mnt.0));
}

// Defect 5: no `bbgen verify`.

#[test]
fn verify_names_a_flipped_byte_a_deleted_file_and_an_added_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(
        tmp.path(),
        "o",
        &[
            "--users",
            "4",
            "--formats",
            "csv,fhir",
            "--claims-scale",
            "0.2",
        ],
    );
    let o = verify(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("match manifest.json"));

    let flipped = out.join("csv/carrier_claims.csv");
    let mut bytes = fs::read(&flipped).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    fs::write(&flipped, bytes).unwrap();
    fs::remove_file(out.join("fhir/Patient.ndjson")).unwrap();
    fs::write(out.join("fhir/extra.ndjson"), "{}\n").unwrap();

    let o = verify(&out);
    assert_eq!(o.status.code(), Some(1));
    let report = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines,
        [
            "changed: csv/carrier_claims.csv",
            "missing: fhir/Patient.ndjson",
            "unlisted: fhir/extra.ndjson"
        ]
    );
    let err = stderr(&o);
    assert!(
        err.contains("1 file changed, 1 missing, 1 unlisted"),
        "{err}"
    );

    let o = verify(&tmp.path().join("nothing"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no manifest.json"));
}
