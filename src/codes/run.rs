//! [`Codes`]: the code tables one run uses, the compiled-in ones or official files a user
//! gave in their place (see [`super::official`]).

use super::hcpcs;
use super::ndc;
use super::official::CodeOverrides;
use super::table::CodeTable;

/// The code tables one run uses: the compiled-in ones, or a user's official files where given.
#[derive(Debug, Clone)]
pub struct Codes {
    hcpcs: Table,
    ndc: Table,
    modifiers: Table,
}

#[derive(Debug, Clone)]
enum Table {
    Builtin(&'static CodeTable),
    Loaded(Box<CodeTable>),
}

impl Table {
    fn get(&self) -> &CodeTable {
        match self {
            Table::Builtin(t) => t,
            Table::Loaded(t) => t,
        }
    }
}

impl Codes {
    /// The compiled-in tables.
    pub fn builtin() -> Codes {
        Codes {
            hcpcs: Table::Builtin(hcpcs::hcpcs()),
            ndc: Table::Builtin(ndc::ndc()),
            modifiers: Table::Builtin(hcpcs::modifiers()),
        }
    }

    /// The compiled-in tables, with those `overrides` holds put in their place. A HCPCS file
    /// replaces the Level II codes; the CPT code numbers stay.
    pub fn with_overrides(overrides: CodeOverrides) -> Codes {
        let mut codes = Codes::builtin();
        if let Some(level2) = overrides.hcpcs_level2 {
            codes.hcpcs = Table::Loaded(Box::new(hcpcs::combine(&level2, hcpcs::cpt())));
        }
        if let Some(ndc) = overrides.ndc {
            codes.ndc = Table::Loaded(Box::new(ndc));
        }
        if let Some(modifiers) = overrides.hcpcs_modifiers {
            codes.modifiers = Table::Loaded(Box::new(modifiers));
        }
        codes
    }

    /// The compiled-in tables, shared.
    pub fn builtin_ref() -> &'static Codes {
        static BUILTIN: std::sync::LazyLock<Codes> = std::sync::LazyLock::new(Codes::builtin);
        &BUILTIN
    }

    /// HCPCS Level II plus the CPT code numbers (layout of [`hcpcs::hcpcs`]).
    pub fn hcpcs(&self) -> &CodeTable {
        self.hcpcs.get()
    }
    /// NDCs (layout [`ndc::LAYOUT`]; use [`ndc::Drug`] for the drug fields).
    pub fn ndc(&self) -> &CodeTable {
        self.ndc.get()
    }
    /// The drug of an NDC in this run's NDC table.
    pub fn drug(&self, ndc11: &str) -> Option<ndc::Drug<'_>> {
        ndc::Drug::find(self.ndc(), ndc11)
    }
    /// HCPCS modifiers (with descriptions when read from a HCPCS file).
    pub fn hcpcs_modifiers(&self) -> &CodeTable {
        self.modifiers.get()
    }
    /// The BETOS code of a HCPCS code in this run's HCPCS table.
    pub fn betos_of(&self, code: &str) -> Option<&'static str> {
        hcpcs::betos_in(self.hcpcs(), code)
    }
}

impl Default for Codes {
    fn default() -> Self {
        Codes::builtin()
    }
}
