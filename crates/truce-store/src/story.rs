//! The story every backend must pass: one walk through every call and its contract, run by each
//! backend's test suite against a fresh database (SQLite in a temporary file; PostgreSQL in a throwaway
//! cluster that `cargo xtask test` starts).

use crate::{Error, IndexedEntry, JobRecord, Role, SourceFile, Store, token_hash};

fn entry(
    index: i64,
    kind: &str,
    day: Option<&str>,
    refers_to: Option<i64>,
    state: Option<&str>,
) -> IndexedEntry {
    IndexedEntry {
        index,
        kind: kind.to_string(),
        author: format!("{:064x}", index),
        day: day.map(str::to_string),
        class: day.map(|_| "explosion".to_string()),
        position: day.map(|_| (48_000_000 + index, 37_800_000 - index)),
        refers_to,
        state: state.map(str::to_string),
    }
}

/// Runs the story on an empty store. Panics, with the step that failed, on any departure.
pub async fn story<S: Store>(store: &S) {
    // Users and roles; names are unique.
    let mediator =
        store.create_user("mediator", Role::Mediator, None).await.expect("create mediator");
    let delegate = store
        .create_user("ua-delegate", Role::PartyDelegate, Some("UKR"))
        .await
        .expect("create delegate");
    assert_eq!(delegate.party.as_deref(), Some("UKR"));
    assert_eq!(store.user(delegate.id).await.expect("read user"), delegate);
    assert!(
        matches!(store.create_user("mediator", Role::Analyst, None).await, Err(Error::Conflict(_))),
        "duplicate user name"
    );
    assert_eq!(store.user(999_999).await, Err(Error::NotFound));
    for role in Role::ALL {
        let u = store
            .create_user(&format!("user-{}", role.as_str()), role, None)
            .await
            .expect("every role");
        assert_eq!(store.user(u.id).await.expect("read back").role, role);
    }

    // Tokens: only hashes are stored; revoked tokens stop working.
    let token = "truce_demo_0123456789abcdef";
    store.add_token(mediator.id, token_hash(token), "laptop").await.expect("add token");
    assert_eq!(store.user_by_token(token_hash(token)).await.expect("token works"), mediator);
    assert_eq!(store.user_by_token(token_hash("wrong")).await, Err(Error::NotFound));
    assert!(
        matches!(
            store.add_token(delegate.id, token_hash(token), "again").await,
            Err(Error::Conflict(_))
        ),
        "a token hash is unique"
    );
    store.revoke_token(token_hash(token)).await.expect("revoke");
    assert_eq!(store.user_by_token(token_hash(token)).await, Err(Error::NotFound), "revoked");
    assert_eq!(store.user_by_name(&mediator.name).await.expect("by name"), mediator);
    assert_eq!(store.user_by_name("nobody").await, Err(Error::NotFound));

    // Keys: one holder each.
    let key = "ab".repeat(32);
    store.add_key(delegate.id, &key).await.expect("add key");
    assert_eq!(store.key_holder(&key).await.expect("holder"), delegate.id);
    assert_eq!(store.keys_of(delegate.id).await.expect("keys"), vec![key.clone()]);
    assert!(store.keys_of(mediator.id).await.expect("none").is_empty());
    assert!(matches!(store.add_key(mediator.id, &key).await, Err(Error::Conflict(_))));
    assert_eq!(store.key_holder(&"cd".repeat(32)).await, Err(Error::NotFound));

    // Sessions: hashed ids that expire, end at sign-out, and end with the user's revocation.
    store.create_session(token_hash("s1"), delegate.id, 2_000).await.expect("session");
    store.create_session(token_hash("s2"), delegate.id, 2_000).await.expect("session");
    store.create_session(token_hash("s3"), mediator.id, 2_000).await.expect("session");
    assert_eq!(store.session_user(token_hash("s1"), 1_999).await.expect("live"), delegate);
    assert_eq!(store.session_user(token_hash("s1"), 2_000).await, Err(Error::NotFound), "expired");
    store.end_session(token_hash("s1")).await.expect("end");
    assert_eq!(store.session_user(token_hash("s1"), 0).await, Err(Error::NotFound), "ended");
    let t2 = "truce_demo_second";
    store.add_token(delegate.id, token_hash(t2), "second").await.expect("add token");
    assert_eq!(store.revoke_user(delegate.id).await.expect("revoke user"), 1);
    assert_eq!(store.user_by_token(token_hash(t2)).await, Err(Error::NotFound), "revoked");
    assert_eq!(store.session_user(token_hash("s2"), 0).await, Err(Error::NotFound), "revoked");
    assert_eq!(store.session_user(token_hash("s3"), 0).await.expect("others stay"), mediator);

    // Scenarios and versions.
    assert_eq!(store.save_scenario("ukraine-2025", "v1", mediator.id, "").await.expect("v1"), 1);
    assert_eq!(
        store
            .save_scenario("ukraine-2025", "v2", mediator.id, "Kyiv's new red line")
            .await
            .expect("v2"),
        2
    );
    assert_eq!(store.save_scenario("minsk-2015", "m1", mediator.id, "").await.expect("m1"), 1);
    assert_eq!(store.scenario("ukraine-2025", None).await.expect("latest").text, "v2");
    assert_eq!(store.scenario("ukraine-2025", Some(1)).await.expect("v1").text, "v1");
    // Each version says who saved it, when and why (issue 23).
    let v2 = store.scenario("ukraine-2025", Some(2)).await.expect("v2");
    assert_eq!((v2.author, v2.reason.as_str()), (mediator.id, "Kyiv's new red line"));
    assert!(v2.saved_at > 1_700_000_000, "saved at {}", v2.saved_at);
    assert_eq!(store.scenario("ukraine-2025", Some(1)).await.expect("v1").reason, "");
    assert_eq!(store.scenario("ukraine-2025", Some(3)).await, Err(Error::NotFound));
    assert_eq!(store.scenario("nowhere", None).await, Err(Error::NotFound));
    assert_eq!(store.scenarios().await.expect("list"), ["minsk-2015", "ukraine-2025"]);

    // Confidential submissions: kept per party, in order.
    let first = store
        .submit_preferences("ukraine-2025", "UKR", delegate.id, "[[preferences]] # 1")
        .await
        .expect("submit");
    let second = store
        .submit_preferences("ukraine-2025", "RUS", mediator.id, "[[preferences]] # 2")
        .await
        .expect("submit");
    assert!(second > first);
    let all = store.submissions("ukraine-2025", None).await.expect("all");
    assert_eq!(all.iter().map(|s| s.party.as_str()).collect::<Vec<_>>(), ["UKR", "RUS"]);
    let ukr = store.submissions("ukraine-2025", Some("UKR")).await.expect("one party");
    assert_eq!(ukr.len(), 1);
    assert_eq!(ukr[0].text, "[[preferences]] # 1");
    assert_eq!(ukr[0].author, delegate.id);
    assert!(store.submissions("minsk-2015", None).await.expect("none").is_empty());

    // Agreements.
    assert_eq!(store.save_agreement("draft-nash", "a1").await.expect("a1"), 1);
    assert_eq!(store.save_agreement("draft-nash", "a2").await.expect("a2"), 2);
    assert_eq!(store.agreement("draft-nash").await.expect("latest"), "a2");
    assert_eq!(store.agreement("nothing").await, Err(Error::NotFound));

    // The entry index: idempotent, queryable by day, and the verification queue.
    assert_eq!(store.indexed_size().await.expect("empty"), 0);
    let entries = vec![
        entry(0, "mission", None, None, None),
        entry(1, "observation", Some("2015-03-01"), None, Some("received")),
        entry(2, "observation", Some("2015-03-01"), None, Some("received")),
        entry(3, "observation", Some("2015-03-02"), None, Some("received")),
        entry(4, "verification", None, Some(1), None),
    ];
    // A gap (index 1 not written) holds the watermark back until it is filled.
    store.index_entries(&[entries[0].clone()]).await.expect("index");
    store.index_entries(&entries[2..]).await.expect("index");
    assert_eq!(store.indexed_size().await.expect("gap"), 1);
    store.index_entries(&entries).await.expect("index");
    store.index_entries(&entries[3..]).await.expect("re-index is idempotent");
    assert_eq!(store.indexed_size().await.expect("size"), 5);
    let day = store.observations_on("2015-03-01").await.expect("by day");
    assert_eq!(day.iter().map(|e| e.index).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(day[0], entries[1]);
    store.set_state(1, "corroborated").await.expect("state");
    store.set_state(2, "under_review").await.expect("state");
    assert_eq!(store.set_state(42, "corroborated").await, Err(Error::NotFound));
    let queue = store.queue(10).await.expect("queue");
    assert_eq!(queue.iter().map(|e| e.index).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(store.queue(1).await.expect("limit").len(), 1);

    // Jobs: kept with their document, replaced by id, interrupted by their server's restart, and
    // forgotten when their time is up or beyond their owner's count.
    let job = |id: &str, server: &str, created: i64| JobRecord {
        id: id.into(),
        owner: mediator.id,
        slug: "ukraine-2025".into(),
        ask: "saop".into(),
        server: server.into(),
        state: "queued".into(),
        reason: String::new(),
        document: None,
        plots: None,
        created,
        expires: 0,
    };
    store.save_job(&job("a", "one", 1)).await.expect("save job");
    store.save_job(&job("b", "one", 2)).await.expect("save job");
    store.save_job(&job("c", "two", 3)).await.expect("save job");
    let done = JobRecord {
        state: "done".into(),
        document: Some(b"{\"schema\":\"truce.simulation/1\"}".to_vec()),
        plots: Some("[\"<svg/>\"]".into()),
        expires: 100,
        ..job("a", "one", 1)
    };
    store.save_job(&done).await.expect("replace job");
    assert_eq!(store.job("a", 50).await.expect("job"), done);
    assert_eq!(store.job("a", 100).await, Err(Error::NotFound), "past its time");
    assert_eq!(store.job("zz", 0).await, Err(Error::NotFound));
    assert_eq!(store.interrupt_jobs("one", "restarted", 90).await.expect("interrupt"), 1);
    let b = store.job("b", 0).await.expect("job b");
    assert_eq!((b.state.as_str(), b.reason.as_str(), b.expires), ("interrupted", "restarted", 90));
    assert_eq!(store.job("c", 0).await.expect("job c").state, "queued", "another server's job");
    // At 95, b's time is up; of the finished, the owner keeps the newest one (a), and c is live.
    assert_eq!(store.forget_jobs(95, mediator.id, 1).await.expect("forget"), 1);
    assert_eq!(store.job("b", 0).await, Err(Error::NotFound));
    store
        .save_job(&JobRecord { expires: 200, state: "done".into(), ..job("d", "one", 4) })
        .await
        .unwrap();
    assert_eq!(store.forget_jobs(95, mediator.id, 1).await.expect("forget beyond"), 1);
    assert_eq!(store.job("a", 0).await, Err(Error::NotFound), "the older finished job");
    assert_eq!(store.job("d", 0).await.expect("the newest").state, "done");
    assert_eq!(store.job("c", 0).await.expect("live jobs stay").state, "queued");

    // Archived source files: content-addressed by the SHA-256 of their bytes, stored once.
    let bytes =
        b"<html><meta charset=windows-1251><p>\xcc\xee\xf1\xea\xe2\xe0</p></html>\x00\xff".to_vec();
    let sha256 = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let file = SourceFile {
        sha256: sha256.clone(),
        media_type: "text/html".into(),
        bytes,
        text: "Москва\n".into(),
        uploader: mediator.id,
        uploaded_at: 1_700_000_000,
    };
    assert_eq!(store.source_file(&sha256).await, Err(Error::NotFound));
    assert!(store.put_source_file(&file).await.expect("store a source file"), "stored");
    assert_eq!(store.source_file(&sha256).await.expect("read it back"), file, "byte for byte");
    // The same bytes again, by someone else, later: found, and the first upload is kept.
    let again = SourceFile { uploader: delegate.id, uploaded_at: 1_800_000_000, ..file.clone() };
    assert!(!store.put_source_file(&again).await.expect("idempotent"), "found, not stored");
    assert_eq!(store.source_file(&sha256).await.expect("still the first"), file);
    // A name that is not the bytes' hash is refused, and stores nothing.
    let wrong = SourceFile { sha256: "ab".repeat(32), ..file.clone() };
    assert!(matches!(store.put_source_file(&wrong).await, Err(Error::Conflict(_))), "wrong hash");
    assert_eq!(store.source_file(&"ab".repeat(32)).await, Err(Error::NotFound));

    // Many writers at once, on clones, on the same scenario: every version is kept, numbered 1..=80.
    let mut tasks = Vec::new();
    for k in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                s.save_scenario("concurrent", &format!("{k}.{i}"), 1, "")
                    .await
                    .expect("concurrent save");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer task");
    }
    assert_eq!(store.scenario("concurrent", None).await.expect("latest").version, 80);
    let mut texts = Vec::new();
    for v in 1..=80 {
        texts.push(store.scenario("concurrent", Some(v)).await.expect("every version").text);
    }
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 80, "no write lost or duplicated");
}
