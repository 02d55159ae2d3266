//! Dataset specifications as written on command lines and in experiment configs:
//!
//! | spec | dataset |
//! |---|---|
//! | `mnist` | MNIST, fetched into the cache when missing |
//! | `mnist:DIR` | MNIST from a folder of the four IDX files (verified) |
//! | `fashion-mnist` | Fashion-MNIST from the Debian package, installed when missing |
//! | `fashion-mnist:DIR` | Fashion-MNIST from a folder of the four IDX files (verified) |
//! | `idx:DIR` | a user's own IDX set (KMNIST, EMNIST, …; see [`crate::user_idx`]), not verified |
//! | `cifar10:DIR` | CIFAR-10, binary version |
//! | `folder:DIR` | classification folders `DIR/train/<class>/…` and `DIR/test/<class>/…` (or `DIR/val`) |
//! | `digits-seg` / `digits-seg:SEED` | the derived digit-segmentation set (see [`crate::digits_seg`]) |
//! | `seg-folder:DIR` | segmentation folders `DIR/{train,test}/{images,masks}` and `DIR/classes.txt` |

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DataError;

/// A parsed dataset specification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DatasetSpec {
    /// MNIST; `Some(dir)` reads a folder of IDX files instead of the cache.
    Mnist(Option<PathBuf>),
    /// Fashion-MNIST; `Some(dir)` reads a folder of IDX files instead of the system package.
    FashionMnist(Option<PathBuf>),
    /// A user's own folder of IDX files (any classes, any image size), not verified against digests.
    Idx(PathBuf),
    /// A CIFAR-10 binary folder.
    Cifar10(PathBuf),
    /// Classification image folders.
    Folder(PathBuf),
    /// The derived digit-segmentation set with its seed.
    DigitsSeg {
        /// The seed.
        seed: u64,
    },
    /// Segmentation image folders.
    SegFolder(PathBuf),
}

impl DatasetSpec {
    /// Whether the spec names a segmentation dataset.
    pub fn is_segmentation(&self) -> bool {
        matches!(self, Self::DigitsSeg { .. } | Self::SegFolder(_))
    }

    /// A short name for run folders and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Mnist(_) => "mnist",
            Self::FashionMnist(_) => "fashion-mnist",
            Self::Idx(_) => "idx",
            Self::Cifar10(_) => "cifar10",
            Self::Folder(_) => "folder",
            Self::DigitsSeg { .. } => "digits-seg",
            Self::SegFolder(_) => "seg-folder",
        }
    }
}

impl FromStr for DatasetSpec {
    type Err = DataError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, arg) = match s.split_once(':') {
            Some((k, a)) => (k.trim(), Some(a.trim())),
            None => (s.trim(), None),
        };
        let path = |what: &str| -> Result<PathBuf, DataError> {
            match arg {
                Some(a) if !a.is_empty() => Ok(PathBuf::from(a)),
                _ => Err(DataError::Config(format!(
                    "dataset spec `{s}`: {what} needs a path, e.g. `{what}:DIR`"
                ))),
            }
        };
        let opt_path = arg.filter(|a| !a.is_empty()).map(PathBuf::from);
        match kind.to_ascii_lowercase().as_str() {
            "mnist" => Ok(Self::Mnist(opt_path)),
            "fashion-mnist" | "fashion_mnist" | "fashionmnist" => Ok(Self::FashionMnist(opt_path)),
            "idx" => Ok(Self::Idx(path("idx")?)),
            "cifar10" | "cifar-10" => Ok(Self::Cifar10(path("cifar10")?)),
            "folder" => Ok(Self::Folder(path("folder")?)),
            "seg-folder" => Ok(Self::SegFolder(path("seg-folder")?)),
            "digits-seg" => {
                let seed = match arg {
                    None | Some("") => 0,
                    Some(a) => a.parse().map_err(|_| {
                        DataError::Config(format!(
                            "dataset spec `{s}`: digits-seg's seed must be an integer"
                        ))
                    })?,
                };
                Ok(Self::DigitsSeg { seed })
            }
            _ => Err(DataError::Config(format!(
                "unknown dataset spec `{s}` (expected mnist, fashion-mnist, idx:DIR, cifar10:DIR, folder:DIR, \
                 digits-seg[:SEED] or seg-folder:DIR)"
            ))),
        }
    }
}

impl fmt::Display for DatasetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mnist(None) | Self::FashionMnist(None) => write!(f, "{}", self.name()),
            Self::Mnist(Some(p))
            | Self::FashionMnist(Some(p))
            | Self::Idx(p)
            | Self::Cifar10(p)
            | Self::Folder(p)
            | Self::SegFolder(p) => {
                write!(f, "{}:{}", self.name(), p.display())
            }
            Self::DigitsSeg { seed } => write!(f, "digits-seg:{seed}"),
        }
    }
}

impl TryFrom<String> for DatasetSpec {
    type Error = DataError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DatasetSpec> for String {
    fn from(spec: DatasetSpec) -> Self {
        spec.to_string()
    }
}
