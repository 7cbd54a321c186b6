//! `credentials.csv`: every sandbox user's log-in, patient id, MBI and name, in user order.

use crate::emit::csv::push_field;
use crate::emit::{Chunk, Part, RenderContext, Stream, StreamKind, TableStream};
use crate::schema::Col;

/// The sandbox log-ins: `credentials.csv`.
pub struct Credentials;

impl TableStream for Credentials {
    type Item = &'static str;

    fn items(&self) -> &[&'static str] {
        &["credentials.csv"]
    }

    fn stream(&self, path: &&'static str) -> Stream {
        Stream {
            path: path.to_string(),
            header: b"username,password,patient_id,mbi,given_name,family_name\r\n".to_vec(),
            kind: StreamKind::Plain,
        }
    }

    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, _: &&'static str) -> Part {
        Part::text(ctx, |out| {
            let mut id = itoa::Buffer::new();
            for (b, _) in &chunk.entries {
                let r = &b.record;
                let text = |c| r.get(c).as_str().map(str::to_owned).unwrap_or_default();
                out.extend_from_slice(b.username.as_str().as_bytes());
                out.push(b',');
                out.extend_from_slice(b.password.as_str().as_bytes());
                out.push(b',');
                out.extend_from_slice(id.format(b.bene_id).as_bytes());
                for field in [
                    text(Col::MBI_NUM),
                    text(Col::BENE_GVN_NAME),
                    text(Col::BENE_SRNM_NAME),
                ] {
                    out.push(b',');
                    push_field(out, field.as_bytes());
                }
                out.extend_from_slice(b"\r\n");
            }
            chunk.entries.len() as u64
        })
    }
}
