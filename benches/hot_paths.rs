//! The hot paths, measured with criterion: serializing an event once,
//! fanning one frame out to N in-memory followers, and the store's commit
//! path (one narrator, and many at once through group commit).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::future::BoxFuture;
use gallery::app::App;
use gallery::config::Config;
use gallery::hub::{Backfill, Frame, Hub};
use gallery::protocol::{CreateSession, Event, PostUpdate, Update};
use gallery::store::{CommitListener, StoredEvent};
use std::hint::black_box;
use std::sync::Arc;

fn update_event(seq: u64) -> Event {
    Event::Update {
        seq,
        ts: "2026-11-22T10:00:00.000Z".into(),
        update: Update {
            id: uuid::Uuid::new_v4(),
            text: "x".repeat(300),
            phase: Some("Exposure".into()),
            author: "Narrator".into(),
            ts: "2026-11-22T10:00:00.000Z".into(),
            elapsed_ms: Some(1234),
            edited_at: None,
            retracted: false,
        },
    }
}

fn serialization(c: &mut Criterion) {
    let event = update_event(42);
    let json = event.to_json();
    c.bench_function("serialize update event (300-byte text)", |b| {
        b.iter(|| black_box(&event).to_json())
    });
    c.bench_function("build shared frame from JSON", |b| {
        b.iter(|| Frame::sequenced(42, black_box(&json)))
    });
}

struct NoHistory;

impl Backfill for NoHistory {
    fn events_after(
        &self,
        _: i64,
        _: u64,
        _: usize,
    ) -> BoxFuture<'static, gallery::Result<Vec<(u64, String)>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

fn fan_out(c: &mut Criterion) {
    let mut group = c.benchmark_group("fan out one frame");
    for n in [1_000u64, 10_000] {
        let hub = Hub::new(Default::default(), Arc::default());
        let backfill: Arc<dyn Backfill> = Arc::new(NoHistory);
        let mut followers: Vec<_> = (0..n)
            .map(|_| hub.follow(1, 0, 0, true, backfill.clone()))
            .collect();
        let body = update_event(1).to_json();
        let mut seq = 0;
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                seq += 1;
                hub.committed(&[StoredEvent {
                    session_key: 1,
                    seq,
                    body: body.clone(),
                    channel: gallery::store::Channel::Public,
                }]);
                for f in &mut followers {
                    black_box(f.try_next().expect("the frame is ready"));
                }
            })
        });
    }
    group.finish();
}

fn commit_path(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut group = c.benchmark_group("store commit");
    for synchronous in ["normal", "full"] {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            data_dir: dir.path().into(),
            admin_token: Some("bench-admin-token-123".into()),
            store: gallery::config::StoreConfig {
                synchronous: synchronous.into(),
                ..Default::default()
            },
            ..Config::default()
        };
        let (app, session, narrator) = runtime.block_on(async {
            let (app, _) = App::open(config, "http://bench".into()).await.unwrap();
            app.create_session(CreateSession {
                title: "Bench".into(),
                slug: Some("bench".into()),
                ..Default::default()
            })
            .await
            .unwrap();
            let session = app.session("bench").await.unwrap();
            let narrator = App::built_in_narrator(&session);
            (app, session, narrator)
        });
        let post = || PostUpdate {
            text: "x".repeat(300),
            phase: None,
            client_id: None,
            confirm: false,
        };
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("one narrator", synchronous), |b| {
            b.iter(|| {
                runtime
                    .block_on(app.post_update(&session, &narrator, post()))
                    .unwrap()
            })
        });
        group.throughput(Throughput::Elements(64));
        group.bench_function(BenchmarkId::new("64 concurrent posts", synchronous), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let posts = (0..64).map(|_| {
                        let (app, session, narrator) =
                            (app.clone(), session.clone(), narrator.clone());
                        tokio::spawn(
                            async move { app.post_update(&session, &narrator, post()).await },
                        )
                    });
                    for p in futures_util::future::join_all(posts).await {
                        p.unwrap().unwrap();
                    }
                })
            })
        });
        runtime.block_on(app.close_store());
    }
    group.finish();
}

criterion_group!(benches, serialization, fan_out, commit_path);
criterion_main!(benches);
