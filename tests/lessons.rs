/// Inspector paths, as the state tree names its rows.
#[test]
fn value_at_follows_the_inspectors_paths() {
    let seqlock = catalogue::build("seqlock", "safe", &[]).unwrap();
    let mut s = Session::new(seqlock.clone());
    s.take("WriterBegin").unwrap();
    let at = |path: &str| lessons::value_at(seqlock.as_ref(), s.state(), path).map(|v| v.to_string());
    assert_eq!(at("ring[0].stamp").as_deref(), Some("1"));
    assert_eq!(at("ring[1]").as_deref(), Some("[stamp |-> 0, value |-> -1]"));
    assert_eq!(at("readerPC[2]").as_deref(), Some("\"idle\""));
    assert_eq!(at("cursor").as_deref(), Some("-1"));
    for missing in ["ring[2].stamp", "ring[0]stamp", "ring[0].colour", "cursor.x", "readerPC[0]", "readerPC[1", "nothing", "", "ring[0].stamp]"] {
        assert_eq!(at(missing), None, "{missing}");
    }
    let mvcc = catalogue::build("mvcc", "gap", &[]).unwrap();
    let mut m = Session::new(mvcc.clone());
    m.take("Write(k1, v1)").unwrap();
    m.take("Write(k1, v2)").unwrap();
    let at = |path: &str| lessons::value_at(mvcc.as_ref(), m.state(), path).map(|v| v.to_string());
    assert_eq!(at("versions[k1]#2.value").as_deref(), Some("v2"));
    assert_eq!(at("versions[k1]#1").as_deref(), Some("[commitTs |-> 1, value |-> v1]"));
    assert_eq!(at("versions[k1]#3"), None);
    // Strings match with or without their quotes; other values as printed.
    let c = |equals: &str| lessons::Condition { value: Some(lessons::ValueIs { path: "readerPC[1]".into(), equals: equals.into() }), ..Default::default() };
    let moment = lessons::Moment { model: seqlock.as_ref(), previous: s.previous().map(|p| &p.state), action: Some("WriterBegin"), state: s.state(), index: 1 };
    assert!(c("idle").holds_at(&moment) && c("\"idle\"").holds_at(&moment) && !c("idl").holds_at(&moment));
    let took = |t: &str| lessons::Condition { took: Some(t.into()), ..Default::default() }.holds_at(&moment);
    assert!(took("WriterBegin") && !took("Writer") && !took("WriterData"));
}
