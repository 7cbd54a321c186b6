//! `bbgen._native`: the Python side of [`bbgen::batches`]. A [`Plan`] holds the data options
//! (the CLI's, with its defaults and checks), [`Plan::split`] cuts it into the [`Part`]s
//! `--shard k/n` writes, and [`read`] hands one part's batches of one table (or of one FHIR
//! resource type's NDJSON lines, `fhir/Patient` …) to pyarrow as a
//! `RecordBatchReader` through the Arrow C stream interface: the arrays are not copied, and
//! the users are generated as the reader is consumed. Both classes pickle, so an engine's
//! driver can ship them to its workers.

use std::ops::Range;
use std::sync::Arc;

use arrow_array::RecordBatchReader;
use arrow_pyarrow::{IntoPyArrow, ToPyArrow};
use bbgen::batches::{self, Limits, Source};
use bbgen::{Dataset, Options};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// What to generate: the CLI's data options (`--users`, `--seed`, `--offset`, `--end-date`,
/// `--claims-scale`) with the same defaults and checks.
#[pyclass(module = "bbgen", frozen, eq)]
#[derive(PartialEq)]
struct Plan {
    options: Options,
}

#[pymethods]
impl Plan {
    #[new]
    #[pyo3(signature = (users=None, seed=None, offset=None, end_date=None, claims_scale=None))]
    fn new(
        users: Option<u64>,
        seed: Option<u64>,
        offset: Option<u64>,
        end_date: Option<&str>,
        claims_scale: Option<f64>,
    ) -> PyResult<Plan> {
        let d = Options::default();
        let end_date = match end_date {
            Some(s) => bbgen::cli::parse_end_date(s).map_err(|e| bad("end_date", e))?,
            None => d.end_date,
        };
        let claims_scale = match claims_scale {
            Some(f) => {
                bbgen::cli::parse_scale(&f.to_string()).map_err(|e| bad("claims_scale", e))?
            }
            None => d.claims_scale,
        };
        let options = Options {
            users: users.unwrap_or(d.users),
            seed: seed.unwrap_or(d.seed),
            offset: offset.unwrap_or(d.offset),
            end_date,
            claims_scale,
        };
        options.check().map_err(|e| PyValueError::new_err(e.0))?;
        Ok(Plan { options })
    }

    #[getter]
    fn users(&self) -> u64 {
        self.options.users
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.options.seed
    }

    #[getter]
    fn offset(&self) -> u64 {
        self.options.offset
    }

    #[getter]
    fn end_date(&self) -> String {
        self.options.end_date.to_string()
    }

    #[getter]
    fn claims_scale(&self) -> f64 {
        self.options.claims_scale
    }

    /// The names of the tables, as the Parquet and CSV files name them, then of the FHIR
    /// resource types, as their NDJSON files do without the suffix (`fhir/Patient`,
    /// `fhir-stu3/ExplanationOfBenefit`).
    fn tables(&self) -> Vec<String> {
        Source::all().iter().map(Source::name).collect()
    }

    /// The pyarrow schema of `table`: the columns of its Parquet file, or for a FHIR
    /// resource type one string column, `resource`, a line of its NDJSON file.
    fn schema<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyAny>> {
        let source = Source::named(table).map_err(PyValueError::new_err)?;
        source.schema().to_pyarrow(py)
    }

    /// `n` parts of the run, in order: part `k` (0-based) holds the users of `--shard k+1/n`.
    fn split(&self, n: u64) -> PyResult<Vec<Part>> {
        if n == 0 {
            return Err(bad("n", "a run splits into at least one part"));
        }
        Ok(self
            .options
            .split(n)
            .into_iter()
            .enumerate()
            .map(|(k, users)| Part::of(k as u64, n, users))
            .collect())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let o = &slf.get().options;
        let args = (
            o.users,
            o.seed,
            o.offset,
            o.end_date.to_string(),
            o.claims_scale,
        );
        Ok((slf.get_type().into_any(), args.into_pyobject(slf.py())?))
    }

    fn __repr__(&self) -> String {
        let o = &self.options;
        format!(
            "Plan(users={}, seed={}, offset={}, end_date='{}', claims_scale={:?})",
            o.users, o.seed, o.offset, o.end_date, o.claims_scale
        )
    }
}

/// Part `index` (0-based) of `count` of a run: the users `start..end`, which
/// `--shard index+1/count` writes.
#[pyclass(module = "bbgen", frozen, eq)]
#[derive(PartialEq)]
struct Part {
    #[pyo3(get)]
    index: u64,
    #[pyo3(get)]
    count: u64,
    #[pyo3(get)]
    start: u64,
    #[pyo3(get)]
    end: u64,
}

impl Part {
    fn of(index: u64, count: u64, users: Range<u64>) -> Part {
        Part {
            index,
            count,
            start: users.start,
            end: users.end,
        }
    }
}

#[pymethods]
impl Part {
    #[new]
    fn new(index: u64, count: u64, start: u64, end: u64) -> Part {
        Part::of(index, count, start..end)
    }

    /// The `--shard` argument that writes this part's files.
    #[getter]
    fn shard(&self) -> String {
        format!("{}/{}", self.index + 1, self.count)
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let p = slf.get();
        let args = (p.index, p.count, p.start, p.end);
        Ok((slf.get_type().into_any(), args.into_pyobject(slf.py())?))
    }

    fn __repr__(&self) -> String {
        format!(
            "Part(index={}, count={}, start={}, end={})",
            self.index, self.count, self.start, self.end
        )
    }
}

/// The rows of `table` for `part` of `plan` (the whole run without one) as a
/// `pyarrow.RecordBatchReader`; a batch ends at `max_rows` rows or once its column data
/// reaches `max_bytes`. A part that is not one of `plan.split(part.count)` is refused.
#[pyfunction]
#[pyo3(signature = (plan, table, part=None, max_rows=None, max_bytes=None))]
fn read<'py>(
    py: Python<'py>,
    plan: &Plan,
    table: &str,
    part: Option<&Part>,
    max_rows: Option<usize>,
    max_bytes: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let source = Source::named(table).map_err(PyValueError::new_err)?;
    let users = match part {
        None => plan.options.user_range(),
        Some(p) => {
            let expected = (p.index < p.count).then(|| plan.options.part(p.index, p.count));
            if expected != Some(p.start..p.end) {
                return Err(bad(
                    "part",
                    format!("{} is not a part of {}", p.__repr__(), plan.__repr__()),
                ));
            }
            p.start..p.end
        }
    };
    let d = Limits::default();
    let limits = Limits {
        rows: max_rows.unwrap_or(d.rows),
        bytes: max_bytes.unwrap_or(d.bytes),
    };
    let ds = Dataset::new(plan.options.clone()).map_err(|e| PyValueError::new_err(e.0))?;
    let reader =
        batches::read(Arc::new(ds), source, users, limits).map_err(PyValueError::new_err)?;
    let reader: Box<dyn RecordBatchReader + Send> = Box::new(reader);
    reader.into_pyarrow(py)
}

/// A `ValueError` naming the argument.
fn bad(arg: &str, e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("{arg}: {e}"))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Plan>()?;
    m.add_class::<Part>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    Ok(())
}
