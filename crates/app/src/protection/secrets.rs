//! Reporter identity at rest: sealed with an authenticated cipher (AES-256-GCM by default,
//! SM4-GCM for 国密 deployments) under keys kept outside the database.
//!
//! The key file lists keys newest first; the first seals, all of them open. Rotation adds a
//! key at the top, re-seals every row under it, and only then may old lines be dropped, so
//! reads never stop. An instance that meets an unknown key id re-reads the file.

use std::{
    path::{Path, PathBuf},
    sync::RwLock,
};

use aes_gcm::{
    Aes256Gcm, AesGcm, KeyInit,
    aead::{Aead, Payload, consts::U12},
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::AppError;

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

domain::labelled_enum!(
    CipherKind {
        Aes256Gcm = ("aes256gcm", "AES-256-GCM", "AES-256-GCM"),
        Sm4Gcm = ("sm4gcm", "SM4-GCM（国密）", "SM4-GCM (Chinese national standard)"),
    }
);

impl CipherKind {
    fn key_len(self) -> usize {
        match self {
            CipherKind::Aes256Gcm => 32,
            CipherKind::Sm4Gcm => 16,
        }
    }
}

fn bad_key() -> AppError {
    // Key lengths are checked when a key is parsed or generated; this would be a bug.
    AppError::internal("a key has the wrong length for its cipher")
}

fn encrypt(kind: CipherKind, key: &[u8], nonce: &[u8], payload: Payload) -> Result<Vec<u8>, AppError> {
    match kind {
        CipherKind::Aes256Gcm => Aes256Gcm::new_from_slice(key).map_err(|_| bad_key())?.encrypt(nonce.into(), payload),
        CipherKind::Sm4Gcm => Sm4Gcm::new_from_slice(key).map_err(|_| bad_key())?.encrypt(nonce.into(), payload),
    }
    .map_err(|_| AppError::internal("sealing failed"))
}

fn decrypt(kind: CipherKind, key: &[u8], nonce: &[u8], payload: Payload) -> Result<Vec<u8>, AppError> {
    match kind {
        CipherKind::Aes256Gcm => Aes256Gcm::new_from_slice(key).map_err(|_| bad_key())?.decrypt(nonce.into(), payload),
        CipherKind::Sm4Gcm => Sm4Gcm::new_from_slice(key).map_err(|_| bad_key())?.decrypt(nonce.into(), payload),
    }
    .map_err(|_| AppError::internal("a sealed value failed authentication (tampered, moved or wrong key)"))
}

/// A file's own key, under the cipher of the key file's current key (so a 国密 deployment
/// keeps its files under SM4-GCM too). The key itself is kept sealed by the key file.
pub struct FileKey {
    kind: CipherKind,
    bytes: Vec<u8>,
}

impl FileKey {
    pub fn generate(kind: CipherKind) -> Self {
        let mut bytes = vec![0u8; kind.key_len()];
        rand::rng().fill_bytes(&mut bytes);
        Self { kind, bytes }
    }

    /// A key as kept (hex, to be sealed) under its cipher's code.
    pub fn from_hex(kind: CipherKind, hexkey: &str) -> Result<Self, AppError> {
        let bytes = hex::decode(hexkey).map_err(|_| AppError::internal("a file key is not hex"))?;
        if bytes.len() != kind.key_len() {
            return Err(bad_key());
        }
        Ok(Self { kind, bytes })
    }

    pub fn kind(&self) -> CipherKind {
        self.kind
    }

    pub fn hex(&self) -> String {
        hex::encode(&self.bytes)
    }

    pub fn encrypt(&self, nonce: &[u8; 12], aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, AppError> {
        encrypt(self.kind, &self.bytes, nonce, Payload { msg, aad })
    }

    pub fn decrypt(&self, nonce: &[u8; 12], aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, AppError> {
        decrypt(self.kind, &self.bytes, nonce, Payload { msg, aad })
    }
}

#[derive(Clone)]
struct Key {
    id: String,
    kind: CipherKind,
    bytes: Vec<u8>,
}

impl Key {
    fn generate(kind: CipherKind) -> Self {
        let mut bytes = vec![0u8; kind.key_len()];
        rand::rng().fill_bytes(&mut bytes);
        let mut id = [0u8; 6];
        rand::rng().fill_bytes(&mut id);
        Self { id: format!("k{}", hex::encode(id)), kind, bytes }
    }

    fn line(&self) -> String {
        format!("{} {} {}", self.id, self.kind.code(), hex::encode(&self.bytes))
    }

    fn parse(line: &str) -> Result<Self, String> {
        let mut parts = line.split_whitespace();
        let (Some(id), Some(kind), Some(hexkey), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("expected `<id> <cipher> <hex key>`".into());
        };
        let kind = CipherKind::from_code(kind).ok_or_else(|| format!("unknown cipher {kind:?}"))?;
        let bytes = hex::decode(hexkey).map_err(|_| "the key is not hex".to_string())?;
        if bytes.len() != kind.key_len() {
            return Err(format!("{} needs a {}-byte key", kind.code(), kind.key_len()));
        }
        Ok(Self { id: id.to_owned(), kind, bytes })
    }

    fn seal(&self, plaintext: &str, aad: &str) -> Result<String, AppError> {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload { msg: plaintext.as_bytes(), aad: aad.as_bytes() };
        let ct = encrypt(self.kind, &self.bytes, &nonce, payload)?;
        Ok(format!("{}{}", hex::encode(nonce), hex::encode(ct)))
    }

    fn open(&self, sealed: &str, aad: &str) -> Result<String, AppError> {
        let raw = hex::decode(sealed).map_err(|_| AppError::internal("sealed value is not hex"))?;
        if raw.len() < 12 + 16 {
            return Err(AppError::internal("sealed value too short"));
        }
        let (nonce, ct) = raw.split_at(12);
        let payload = Payload { msg: ct, aad: aad.as_bytes() };
        let pt = decrypt(self.kind, &self.bytes, nonce, payload)?;
        String::from_utf8(pt).map_err(|_| AppError::internal("sealed value is not text"))
    }
}

/// The key ID numbers are hashed under (HMAC-SHA256), so that a copy of the database does
/// not let anyone test guessed ID numbers against it. It is never rotated: the numbers are
/// not kept, so their hashes could not be made again under a new key.
#[derive(Clone)]
struct PersonKey {
    id: String,
    bytes: [u8; 32],
}

const PERSON_KIND: &str = "hmac-sha256";

impl PersonKey {
    fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let mut id = [0u8; 6];
        rand::rng().fill_bytes(&mut id);
        Self { id: format!("p{}", hex::encode(id)), bytes }
    }

    fn line(&self) -> String {
        format!("{} {PERSON_KIND} {}", self.id, hex::encode(self.bytes))
    }

    fn parse(id: &str, hexkey: &str) -> Result<Self, String> {
        let raw = hex::decode(hexkey).map_err(|_| "the person key is not hex".to_string())?;
        let bytes: [u8; 32] = raw.try_into().map_err(|_| format!("{PERSON_KIND} needs a 32-byte key"))?;
        Ok(Self { id: id.to_owned(), bytes })
    }
}

/// The keys that seal reporter identity, and the key ID numbers are hashed under.
pub struct Keyring {
    file: Option<PathBuf>,
    keys: RwLock<Vec<Key>>,
    person: PersonKey,
}

/// A sealed value and the key that sealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub value: String,
}

impl Keyring {
    /// A keyring that lives only in memory (tests).
    pub fn ephemeral(kind: CipherKind) -> Self {
        Self { file: None, keys: RwLock::new(vec![Key::generate(kind)]), person: PersonKey::generate() }
    }

    /// A key given directly as hex (from `QINGLING_KEY`); the person key is derived from it.
    pub fn from_hex(kind: CipherKind, hexkey: &str) -> Result<Self, String> {
        let key = Key::parse(&format!("env {} {}", kind.code(), hexkey.trim()))?;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes).map_err(|e| e.to_string())?;
        mac.update(b"qingling person-id key v1");
        let person = PersonKey { id: "env-person".into(), bytes: mac.finalize().into_bytes().into() };
        Ok(Self { file: None, keys: RwLock::new(vec![key]), person })
    }

    /// Loads the key file, creating it (mode 0600) with fresh keys if it does not exist, and
    /// adding a person key to a file written before there was one.
    pub fn open_or_create(path: &Path, kind: CipherKind) -> Result<Self, String> {
        if !path.exists() {
            write_key_file(path, &[Key::generate(kind)], &PersonKey::generate())?;
        }
        let (keys, person) = read_key_file(path)?;
        let person = match person {
            Some(p) => p,
            None => {
                let p = PersonKey::generate();
                write_key_file(path, &keys, &p)?;
                p
            }
        };
        Ok(Self { file: Some(path.to_owned()), keys: RwLock::new(keys), person })
    }

    /// Opens an existing key file without changing it (read-only tools); `None` when there is
    /// no key file.
    pub fn open_existing(path: &Path) -> Result<Option<Self>, String> {
        if !path.exists() {
            return Ok(None);
        }
        let (keys, person) = read_key_file(path)?;
        let person = person.ok_or_else(|| format!("key file {} has no {PERSON_KIND} key yet", path.display()))?;
        Ok(Some(Self { file: Some(path.to_owned()), keys: RwLock::new(keys), person }))
    }

    /// The keyed hash of an ID number's digest (`domain::protection::person::id_number_digest`).
    pub fn person_hash(&self, digest: &str) -> String {
        person_hash(&self.person.bytes, digest)
    }

    pub fn person_key_id(&self) -> &str {
        &self.person.id
    }

    /// The cipher new values are sealed with.
    pub fn current_kind(&self) -> CipherKind {
        self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner)[0].kind
    }

    pub fn current_id(&self) -> String {
        self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner)[0].id.clone()
    }

    pub fn seal(&self, plaintext: &str, aad: &str) -> Result<Sealed, AppError> {
        let keys = self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(Sealed { key_id: keys[0].id.clone(), value: keys[0].seal(plaintext, aad)? })
    }

    pub fn open(&self, sealed: &Sealed, aad: &str) -> Result<String, AppError> {
        if let Some(k) = self.find(&sealed.key_id) {
            return k.open(&sealed.value, aad);
        }
        self.reload().map_err(AppError::internal)?;
        self.find(&sealed.key_id)
            .ok_or_else(|| AppError::internal(format!("key {} is not in the key file", sealed.key_id)))?
            .open(&sealed.value, aad)
    }

    fn find(&self, id: &str) -> Option<Key> {
        self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner).iter().find(|k| k.id == id).cloned()
    }

    fn reload(&self) -> Result<(), String> {
        if let Some(path) = &self.file {
            *self.keys.write().unwrap_or_else(std::sync::PoisonError::into_inner) = read_key_file(path)?.0;
        }
        Ok(())
    }

    /// Puts a new key first (in memory and in the key file); old keys stay for reading.
    pub fn add_new_key(&self, kind: CipherKind) -> Result<String, String> {
        let key = Key::generate(kind);
        let id = key.id.clone();
        let mut keys = self.keys.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.insert(0, key);
        if let Some(path) = &self.file {
            write_key_file(path, &keys, &self.person)?;
        }
        Ok(id)
    }

    /// Drops every key but the current one (after rotation has re-sealed all rows).
    pub fn retire_old_keys(&self) -> Result<usize, String> {
        let mut keys = self.keys.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        let dropped = keys.len() - 1;
        keys.truncate(1);
        if let Some(path) = &self.file {
            write_key_file(path, &keys, &self.person)?;
        }
        Ok(dropped)
    }
}

fn person_hash(key: &[u8; 32], digest: &str) -> String {
    // HMAC takes a key of any length; a 32-byte key is always accepted.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else { return String::new() };
    mac.update(b"qingling-person:");
    mac.update(digest.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The sealing keys (newest first) and the person key, if the file has one yet.
fn read_key_file(path: &Path) -> Result<(Vec<Key>, Option<PersonKey>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read key file {}: {e}", path.display()))?;
    let bad = |e: String| format!("key file {}: {e}", path.display());
    let (mut keys, mut person) = (Vec::new(), None);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            [id, kind, hexkey] if *kind == PERSON_KIND => person = Some(PersonKey::parse(id, hexkey).map_err(bad)?),
            _ => keys.push(Key::parse(line).map_err(bad)?),
        }
    }
    if keys.is_empty() {
        return Err(format!("key file {} holds no key", path.display()));
    }
    Ok((keys, person))
}

fn write_key_file(path: &Path, keys: &[Key], person: &PersonKey) -> Result<(), String> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let mut text = String::from(
        "# Qingling reporter-identity keys, newest first. Keep this file secret and backed up:\n\
         # without it sealed reporter identities cannot be read.\n",
    );
    for k in keys {
        text.push_str(&k.line());
        text.push('\n');
    }
    text.push_str("# The key ID numbers are hashed under. Never rotated, never to be lost.\n");
    text.push_str(&person.line());
    text.push('\n');
    f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(|e| format!("cannot write key file: {e}"))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_for_both_ciphers() {
        for kind in CipherKind::ALL {
            let ring = Keyring::ephemeral(*kind);
            let s = ring.seal("举报人张三", "reporter:1:name").unwrap();
            assert!(!s.value.contains("张三"));
            assert_eq!(ring.open(&s, "reporter:1:name").unwrap(), "举报人张三");
            assert!(ring.open(&s, "reporter:2:name").is_err(), "bound to its row");
            let mut tampered = s.clone();
            tampered.value.replace_range(30..32, if &s.value[30..32] == "00" { "11" } else { "00" });
            assert!(ring.open(&tampered, "reporter:1:name").is_err(), "authenticated");
        }
    }

    #[test]
    fn key_file_is_private_and_rotation_keeps_old_keys_readable() {
        let dir = tempfile_dir();
        let path = dir.join("keys");
        let ring = Keyring::open_or_create(&path, CipherKind::Aes256Gcm).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let old = ring.seal("甲", "a").unwrap();
        let new_id = ring.add_new_key(CipherKind::Sm4Gcm).unwrap();
        assert_eq!(ring.current_id(), new_id);
        assert_eq!(ring.open(&old, "a").unwrap(), "甲");
        // Another instance holding the old file contents learns the new key on demand.
        let other = Keyring {
            file: Some(path.clone()),
            keys: RwLock::new(vec![Key::parse(&old_line(&path)).unwrap()]),
            person: PersonKey::generate(),
        };
        let sealed_new = ring.seal("乙", "b").unwrap();
        assert_eq!(other.open(&sealed_new, "b").unwrap(), "乙");
        assert_eq!(ring.retire_old_keys().unwrap(), 1);
        assert!(ring.open(&old, "a").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn old_line(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.starts_with('#')).nth(1).unwrap().to_owned()
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("qingling-keys-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn the_person_key_is_kept_across_rotation_and_keys_the_hash() {
        let dir = tempfile_dir();
        let path = dir.join("keys");
        let ring = Keyring::open_or_create(&path, CipherKind::Aes256Gcm).unwrap();
        let h = ring.person_hash("digest");
        assert_eq!(h.len(), 64);
        assert_ne!(h, Keyring::ephemeral(CipherKind::Aes256Gcm).person_hash("digest"), "another key, another hash");
        ring.add_new_key(CipherKind::Sm4Gcm).unwrap();
        ring.retire_old_keys().unwrap();
        let again = Keyring::open_or_create(&path, CipherKind::Aes256Gcm).unwrap();
        assert_eq!(again.person_hash("digest"), h, "rotation leaves the person key alone");
        // A key file from before the person key gains one, once.
        let old = dir.join("old-keys");
        std::fs::write(&old, format!("{}\n", Key::generate(CipherKind::Aes256Gcm).line())).unwrap();
        assert!(Keyring::open_existing(&old).is_err(), "read-only tools do not add it");
        let first = Keyring::open_or_create(&old, CipherKind::Aes256Gcm).unwrap().person_hash("d");
        assert_eq!(Keyring::open_or_create(&old, CipherKind::Aes256Gcm).unwrap().person_hash("d"), first);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn bad_keys_are_refused() {
        assert!(Keyring::from_hex(CipherKind::Aes256Gcm, "abcd").is_err());
        assert!(Keyring::from_hex(CipherKind::Sm4Gcm, &"00".repeat(16)).is_ok());
    }

    #[test]
    fn a_file_key_follows_the_cipher_and_its_chunks_open_only_in_place() {
        for kind in CipherKind::ALL {
            let k = FileKey::generate(*kind);
            assert_eq!(k.hex().len(), kind.key_len() * 2);
            let sealed = k.encrypt(&[1; 12], b"attachment:1:0", b"scanned letter").unwrap();
            let again = FileKey::from_hex(*kind, &k.hex()).unwrap();
            assert_eq!(again.decrypt(&[1; 12], b"attachment:1:0", &sealed).unwrap(), b"scanned letter");
            assert!(again.decrypt(&[1; 12], b"attachment:2:0", &sealed).is_err(), "moved to another file");
        }
        let sm4 = FileKey::generate(CipherKind::Sm4Gcm);
        assert!(FileKey::from_hex(CipherKind::Aes256Gcm, &sm4.hex()).is_err(), "a 16-byte key is no AES-256 key");
        assert_eq!(Keyring::ephemeral(CipherKind::Sm4Gcm).current_kind(), CipherKind::Sm4Gcm);
    }
}
