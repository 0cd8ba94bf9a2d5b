//! Limits: the bounds a build keeps to, so that no input, however large or
//! crafted, takes unbounded time or memory. Each is answered by an error that
//! names it and says how to raise it (`--limit NAME=VALUE`).

use std::fmt;

/// The limits of one build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read from `content/`, in bytes. The YAML budgets
    /// (values, text behind aliases) grow with it.
    pub file_size: u64,
    /// The most claims a briefing may have: each is a page.
    pub claims: usize,
}

/// A megabyte, as `--limit file-size=16MB` counts it.
const MB: u64 = 1_000_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_size: 16 * MB,
            claims: 100_000,
        }
    }
}

/// The names `--limit` accepts, with what each bounds.
pub const NAMES: &[(&str, &str)] = &[
    ("file-size", "the largest file in content/, e.g. 16MB"),
    ("claims", "the most claims a briefing may have, e.g. 100000"),
];

/// One `--limit NAME=VALUE`, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    FileSize(u64),
    Claims(usize),
}

impl std::str::FromStr for Limit {
    type Err = String;

    fn from_str(assignment: &str) -> Result<Limit, String> {
        let names = || {
            NAMES
                .iter()
                .map(|(n, what)| format!("{n} ({what})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(format!(
                "`{assignment}` is not NAME=VALUE; the limits are: {}",
                names()
            ));
        };
        match name.trim() {
            "file-size" => parse_size(value.trim()).map(Limit::FileSize),
            "claims" => parse_count(value.trim())
                .map(Limit::Claims)
                .ok_or_else(|| format!("`{value}` is not a number of claims, e.g. 200000")),
            other => Err(format!(
                "no limit is called `{other}`; the limits are: {}",
                names()
            )),
        }
    }
}

impl Limits {
    /// Applies one `--limit`.
    pub fn set(&mut self, limit: Limit) {
        match limit {
            Limit::FileSize(bytes) => self.file_size = bytes,
            Limit::Claims(claims) => self.claims = claims,
        }
    }

    /// The YAML budget of one file: generous for any file within
    /// `file_size`, and proportional to it.
    pub fn yaml_budget(&self) -> serde_saphyr::Budget {
        let bytes = usize::try_from(self.file_size).unwrap_or(usize::MAX);
        let mut budget = serde_saphyr::Budget::default();
        // A value takes a few bytes to write ("- a\n", or "a," in a flow
        // list), and aliases may repeat text: four times the file is plenty.
        let nodes = (bytes / 8).max(budget.max_nodes);
        budget.max_nodes = nodes;
        budget.max_events = nodes.saturating_mul(2).max(budget.max_events);
        budget.max_total_scalar_bytes = self.yaml_text();
        budget
    }

    /// How much text one YAML file may hold once its aliases are expanded.
    pub fn yaml_text(&self) -> usize {
        usize::try_from(self.file_size.saturating_mul(4)).unwrap_or(usize::MAX)
    }
}

/// `16MB`, `16 MB`, `1GB`, `500kB` or a number of bytes.
fn parse_size(value: &str) -> Result<u64, String> {
    let lower = value.to_ascii_lowercase();
    let (digits, unit) = lower
        .find(|c: char| !c.is_ascii_digit() && c != '_' && c != ',')
        .map_or((lower.as_str(), ""), |i| lower.split_at(i));
    let factor = match unit.trim() {
        "" | "b" => 1,
        "kb" | "k" => 1_000,
        "mb" | "m" => MB,
        "gb" | "g" => 1_000 * MB,
        _ => return Err(format!("`{value}` is not a size, e.g. 64MB or 1GB")),
    };
    parse_count(digits)
        .and_then(|n| (n as u64).checked_mul(factor))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{value}` is not a size, e.g. 64MB or 1GB"))
}

/// A whole number, with `_` or `,` between thousands if wanted.
fn parse_count(value: &str) -> Option<usize> {
    value.replace(['_', ','], "").parse().ok()
}

/// A size for people: `16 MB`, `100.2 MB`, `512 bytes`.
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n < 1_000 {
            write!(f, "{n} bytes")
        } else if n < MB {
            write!(f, "{} kB", trim(n as f64 / 1_000.0))
        } else if n < 1_000 * MB {
            write!(f, "{} MB", trim(n as f64 / MB as f64))
        } else {
            write!(f, "{} GB", trim(n as f64 / (1_000 * MB) as f64))
        }
    }
}

/// One decimal, dropped when it is zero.
fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_in_the_units_people_write() {
        assert_eq!(parse_size("16MB"), Ok(16_000_000));
        assert_eq!(parse_size("16 mb"), Ok(16_000_000));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("500kB"), Ok(500_000));
        assert_eq!(parse_size("2048"), Ok(2048));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0MB").is_err());
        assert!(parse_size("12TB").is_err());
    }

    #[test]
    fn limits_are_set_by_name() {
        let mut limits = Limits::default();
        limits.set("file-size=128MB".parse().unwrap());
        limits.set("claims=1_000_000".parse().unwrap());
        assert_eq!(limits.file_size, 128_000_000);
        assert_eq!(limits.claims, 1_000_000);
        let err = "claim=5".parse::<Limit>().unwrap_err();
        assert!(err.contains("no limit is called `claim`"), "{err}");
        assert!(err.contains("file-size"), "{err}");
        assert!("claims".parse::<Limit>().is_err());
    }

    #[test]
    fn the_yaml_budget_grows_with_the_file_size() {
        let small = Limits::default().yaml_budget();
        let large = Limits {
            file_size: 160 * MB,
            ..Limits::default()
        }
        .yaml_budget();
        assert!(large.max_nodes > small.max_nodes);
        assert!(large.max_total_scalar_bytes > small.max_total_scalar_bytes);
        assert_eq!(small.max_depth, serde_saphyr::Budget::default().max_depth);
    }

    #[test]
    fn sizes_are_shown_for_people() {
        assert_eq!(Size(512).to_string(), "512 bytes");
        assert_eq!(Size(16_000_000).to_string(), "16 MB");
        assert_eq!(Size(100_200_000).to_string(), "100.2 MB");
    }
}
