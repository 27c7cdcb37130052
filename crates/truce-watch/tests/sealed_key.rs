//! Issue 13: a key file sealed with a passphrase for a device opens with that passphrase only, and
//! any change to it is detected.

use truce_watch::entry::{KeyFile, SealedKey};

#[test]
fn a_sealed_key_opens_with_its_passphrase_only() {
    let key =
        KeyFile { name: "observer-1".into(), key: ed25519_dalek::SigningKey::from_bytes(&[9; 32]) };
    let sealed = key.seal("correct horse battery", [1; 16], [2; 12], 600_000).unwrap();
    assert!(sealed.starts_with("truce-key-sealed/v1\nobserver-1\npbkdf2-sha256 600000 "));
    let opened = SealedKey::open(&sealed, "correct horse battery").unwrap();
    assert_eq!(opened.name, "observer-1");
    assert_eq!(opened.key.to_bytes(), [9; 32]);
    let wrong = SealedKey::open(&sealed, "correct horse battery!").err().unwrap().to_string();
    assert!(wrong.contains("wrong passphrase"), "{wrong}");
    // The holder's name is authenticated: renaming the file's holder breaks it.
    let renamed = sealed.replacen("observer-1", "observer-2", 1);
    assert!(SealedKey::open(&renamed, "correct horse battery").is_err());
    // Too few iterations, a short passphrase, a truncated file: clear refusals.
    assert!(key.seal("correct horse battery", [1; 16], [2; 12], 1000).is_err());
    assert!(key.seal("short", [1; 16], [2; 12], 600_000).is_err());
    let cut: String = sealed.lines().take(3).collect::<Vec<_>>().join("\n");
    let e = SealedKey::open(&cut, "correct horse battery").err().unwrap().to_string();
    assert!(e.contains("line 4"), "{e}");
}
