//! Settings shared by the verbs: where the store lives, the base IRI, limits.

use std::path::PathBuf;

use crate::ids::{BaseIriError, Ids};
use crate::ingest::IngestLimits;

/// Environment variable naming the store directory.
pub const STORE_ENV: &str = "ESAM_KG_STORE";
/// Environment variable naming the base IRI.
pub const BASE_ENV: &str = "ESAM_KG_BASE";

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store directory.
    pub store_dir: PathBuf,
    /// IRIs are minted under this base.
    pub ids: Ids,
    /// Input limits.
    pub limits: IngestLimits,
}

impl Config {
    /// Settings from explicit values; `None` falls back to the environment and then to defaults.
    pub fn new(store_dir: Option<PathBuf>, base: Option<String>, max_bytes: Option<u64>) -> Result<Self, BaseIriError> {
        let ids = match base {
            Some(base) => Ids::new(&base)?,
            None => Ids::default(),
        };
        let mut limits = IngestLimits::default();
        if let Some(max_bytes) = max_bytes {
            limits.max_bytes = max_bytes;
        }
        Ok(Self {
            store_dir: store_dir.unwrap_or_else(default_store_dir),
            ids,
            limits,
        })
    }
}

/// `$XDG_DATA_HOME/esam-kg/store`, else `~/.local/share/esam-kg/store`, else `./esam-kg-store`.
pub fn default_store_dir() -> PathBuf {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")));
    match data_home {
        Some(dir) => dir.join("esam-kg").join("store"),
        None => PathBuf::from("esam-kg-store"),
    }
}
