//! One FHIR resource type's NDJSON lines, gathered into batches of one `Utf8` column.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::StringBuilder;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::Gather;
use crate::Options;
use crate::codes::Codes;
use crate::emit::Chunk;
use crate::emit::fhir::{FhirVersion, Renderer, Resource};

/// The schema of every resource type's batches: one column, `resource`, a line of the NDJSON
/// file (the resource's JSON, without the newline).
pub(super) fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new(
        "resource",
        DataType::Utf8,
        false,
    )]))
}

/// A chunk's lines of one resource type and the batch gathered from them.
pub(super) struct FhirLines {
    renderer: Renderer<'static>,
    resource: Resource,
    /// The last loaded chunk's lines, each ending in a newline.
    text: String,
    /// Where each of them ends, after its newline.
    ends: Vec<usize>,
    batch: StringBuilder,
    rows: usize,
    bytes: usize,
}

impl FhirLines {
    /// The lines a run with `options` writes (with the built-in code tables, as the
    /// Python package's plans do).
    pub(super) fn new(version: FhirVersion, resource: Resource, options: &Options) -> FhirLines {
        FhirLines {
            renderer: Renderer::of(version, options, Codes::builtin_ref()),
            resource,
            text: String::new(),
            ends: Vec::new(),
            batch: StringBuilder::new(),
            rows: 0,
            bytes: 0,
        }
    }
}

impl Gather for FhirLines {
    fn load(&mut self, chunk: &Chunk) -> Result<(), String> {
        let mut out = std::mem::take(&mut self.text).into_bytes();
        out.clear();
        self.ends.clear();
        let ends = &mut self.ends;
        self.resource
            .write_lines(&self.renderer, chunk, &mut out, |end| ends.push(end));
        self.text = String::from_utf8(out)
            .map_err(|e| format!("a {} is not UTF-8: {e}", self.resource.name()))?;
        Ok(())
    }

    fn pending(&self) -> usize {
        self.ends.len()
    }

    fn push(&mut self, i: usize) -> Result<(), String> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let line = &self.text[start..self.ends[i] - 1];
        self.batch.append_value(line);
        self.rows += 1;
        // The text and its offset, as a table's text cells count.
        self.bytes += line.len() + 4;
        Ok(())
    }

    fn size(&self) -> (usize, usize) {
        (self.rows, self.bytes)
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        self.rows = 0;
        self.bytes = 0;
        vec![Arc::new(self.batch.finish())]
    }
}
