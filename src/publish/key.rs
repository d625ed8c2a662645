//! The secret that names each school's folder in school scope: HMAC-SHA256 of the slug,
//! keyed from an environment variable. Same key and slug, same folder (builds stay
//! deterministic); without the key the folder cannot be derived from the slug. The key is
//! only ever held here: it is never written to a file, printed or put into an error.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;

/// The environment variable that holds the key.
pub(crate) const KEY_VAR: &str = "HANDBUCH_PUBLISH_KEY";

/// Fewer bytes than this are refused: 32 random bytes written as hex are 64.
pub(crate) const MIN_KEY_LEN: usize = 32;

/// Bytes of the HMAC kept for a folder name: 128 bits, 32 hex digits.
const FOLDER_BYTES: usize = 16;

pub(crate) struct FolderKey(Vec<u8>);

/// Never shows the key, whatever prints it.
impl std::fmt::Debug for FolderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FolderKey(…)")
    }
}

impl FolderKey {
    #[cfg(test)]
    pub(crate) fn new(bytes: Vec<u8>) -> FolderKey {
        FolderKey(bytes)
    }

    /// The key from `HANDBUCH_PUBLISH_KEY`; missing or too short is an error that names
    /// the variable and never shows its value.
    pub(crate) fn from_env() -> Result<FolderKey, Diagnostic> {
        let problem = match std::env::var_os(KEY_VAR) {
            None => "is not set",
            Some(value) if value.is_empty() => "is empty",
            Some(value) if value.as_encoded_bytes().len() < MIN_KEY_LEN => "is too short",
            Some(value) => return Ok(FolderKey(value.as_encoded_bytes().to_vec())),
        };
        Err(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "{KEY_VAR} {problem}: school scope names each school's folder by a keyed hash \
                 of its slug, and needs a secret key of at least {MIN_KEY_LEN} characters"
            ),
        )
        .with_note(format!(
            "set it in the build's environment, e.g. `export {KEY_VAR}=\"$(openssl rand -hex 32)\"`, \
             and keep it: the same key gives the same links. Never put it into a file of the project"
        ))
        .with_code("config.publish-key"))
    }

    /// The folder of school `slug`: the first 128 bits of HMAC-SHA256(key, slug) as
    /// lowercase hex.
    pub(crate) fn folder(&self, slug: &str) -> String {
        // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(slug.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest
            .iter()
            .take(FOLDER_BYTES)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What [`FolderKey::folder`] makes: 32 lowercase hex digits.
pub(crate) fn is_folder_name(name: &str) -> bool {
    name.len() == 2 * FOLDER_BYTES && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_is_the_rfc_4231_hmac_truncated_to_128_bits() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let key = FolderKey::new(b"Jefe".to_vec());
        assert_eq!(
            key.folder("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c7"
        );
    }

    #[test]
    fn folder_depends_on_key_and_slug() {
        let a = FolderKey::new(vec![b'a'; 32]);
        let b = FolderKey::new(vec![b'b'; 32]);
        assert_eq!(a.folder("x"), a.folder("x"));
        assert_ne!(a.folder("x"), b.folder("x"));
        assert_ne!(a.folder("x"), a.folder("y"));
        assert!(is_folder_name(&a.folder("x")));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = FolderKey::new(b"super-secret-key-material-000000".to_vec());
        assert_eq!(format!("{key:?}"), "FolderKey(…)");
    }
}
