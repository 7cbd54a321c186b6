//! Rows of values laid out by a [`Table`]'s columns.

use crate::schema::{Col, Table};
use crate::value::Value;

/// One row of a table, owned.
#[derive(Clone, PartialEq, Debug)]
pub struct Record {
    table: &'static Table,
    vals: Vec<Value>,
}

impl Record {
    /// An all-null row of `table`.
    pub fn new(table: &'static Table) -> Record {
        Record {
            table,
            vals: vec![Value::Null; table.width()],
        }
    }

    /// The table this row belongs to.
    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// The values in column order.
    pub fn values(&self) -> &[Value] {
        &self.vals
    }

    /// A read-only view.
    pub fn view(&self) -> RowRef<'_> {
        RowRef {
            table: self.table,
            vals: &self.vals,
        }
    }

    /// The value of `col` (`Null` if the table has no such column).
    #[inline]
    pub fn get(&self, col: Col) -> Value {
        self.view().get(col)
    }

    /// Moves every date of the row by `days` (a claim moved in time).
    pub fn shift_dates(&mut self, days: i32) {
        shift(&mut self.vals, days);
    }

    /// Sets `col`.
    ///
    /// # Panics
    /// If the table has no such column: that is a generator bug, caught by the tests.
    #[inline]
    pub fn set(&mut self, col: Col, v: Value) {
        set(self.table, &mut self.vals, col, v);
    }
}

/// A read-only row: a table and its values.
#[derive(Clone, Copy, Debug)]
pub struct RowRef<'a> {
    /// The table.
    pub table: &'static Table,
    /// Values in column order.
    pub vals: &'a [Value],
}

impl RowRef<'_> {
    /// The value of `col` (`Null` if the table has no such column).
    #[inline]
    pub fn get(&self, col: Col) -> Value {
        match self.table.position(col) {
            Some(i) => self.vals[i],
            None => Value::Null,
        }
    }
}

#[inline]
fn set(table: &'static Table, vals: &mut [Value], col: Col, v: Value) {
    match table.position(col) {
        Some(i) => vals[i] = v,
        None => panic!("table {} has no column {}", table.name, col.name()),
    }
}

/// The lines of one claim, stored flat (one allocation for all lines).
#[derive(Clone, PartialEq, Debug)]
pub struct Lines {
    table: &'static Table,
    vals: Vec<Value>,
}

impl Lines {
    /// No lines yet, for `table`.
    pub fn new(table: &'static Table) -> Lines {
        Lines {
            table,
            vals: Vec::new(),
        }
    }

    /// The line table.
    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.vals.len() / self.table.width()
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }

    /// Line `i` (0-based).
    pub fn get(&self, i: usize) -> RowRef<'_> {
        let w = self.table.width();
        RowRef {
            table: self.table,
            vals: &self.vals[i * w..(i + 1) * w],
        }
    }

    /// All lines in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> {
        let table = self.table;
        self.vals
            .chunks_exact(table.width())
            .map(move |vals| RowRef { table, vals })
    }

    /// Appends an all-null line and returns it for filling.
    pub fn push(&mut self) -> LineMut<'_> {
        let w = self.table.width();
        let start = self.vals.len();
        self.vals.resize(start + w, Value::Null);
        LineMut {
            table: self.table,
            vals: &mut self.vals[start..],
        }
    }

    /// Moves every date of every line by `days` (a claim moved in time).
    pub fn shift_dates(&mut self, days: i32) {
        shift(&mut self.vals, days);
    }

    /// Line `i`, for changing.
    pub fn get_mut(&mut self, i: usize) -> LineMut<'_> {
        let w = self.table.width();
        LineMut {
            table: self.table,
            vals: &mut self.vals[i * w..(i + 1) * w],
        }
    }
}

/// A line being filled.
pub struct LineMut<'a> {
    table: &'static Table,
    vals: &'a mut [Value],
}

impl LineMut<'_> {
    /// Sets `col`; panics if the line table has no such column.
    #[inline]
    pub fn set(&mut self, col: Col, v: Value) {
        set(self.table, self.vals, col, v);
    }

    /// The value of `col`.
    #[inline]
    pub fn get(&self, col: Col) -> Value {
        RowRef {
            table: self.table,
            vals: self.vals,
        }
        .get(col)
    }
}

/// Moves every date among `vals` by `days`.
fn shift(vals: &mut [Value], days: i32) {
    for v in vals {
        if let Value::Date(d) = v {
            *d = d.plus(days);
        }
    }
}
