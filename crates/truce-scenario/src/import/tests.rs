use crate::import::{ImportOptions, InputFile, Semantics, import_genius, import_geniusweb};

const DOMAIN: &str = r#"<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" name="root" type="objective" etype="objective">
 <issue index="1" name="price" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="3"/>
 <issue index="2" name="color" type="discrete" etype="discrete" vtype="discrete">
  <item index="1" value="red"/><item index="2" value="blue"/>
 </issue>
</objective>
</utility_space>
</negotiation_template>"#;

const BUYER: &str = r#"<utility_space>
 <objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="price" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="3">
   <evaluator ftype="linear" slope="-0.5" offset="1.0"/>
  </issue>
  <issue index="2" name="color" type="discrete" etype="discrete" vtype="discrete">
   <item index="1" value="red" evaluation="10"/>
   <item index="2" value="blue" evaluation="4"/>
  </issue>
  <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
 </objective>
 <reservation value="0.3"/>
 <discount_factor value="0.9"/>
</utility_space>"#;

fn genius(profile: &str, semantics: Semantics) -> (Option<crate::Scenario>, Vec<String>) {
    let (s, d) = import_genius(
        InputFile { name: "domain.xml", text: DOMAIN },
        &[InputFile { name: "dir/buyer.xml", text: profile }],
        ImportOptions { semantics, cap_at_one: true },
    );
    (s, d.iter().map(|d| d.to_string()).collect())
}

#[test]
fn genius_semantics_on_the_documented_example() {
    // The worked example of the reference notes: utilities of (price, color) under both semantics.
    //   Genius: price x → clamp(1 − 0.5·(x − 1)); colour: 10 and 4 over the rounded maximum 10.
    //   NegMAS raw: price x → −0.5·x + 1; colour: 10 and 4 raw.
    let (s, d) = genius(BUYER, Semantics::Genius);
    assert!(d.is_empty(), "{d:?}");
    let s = s.unwrap();
    assert_eq!(s.parties[0].id, "buyer");
    let p = &s.preferences[0];
    assert_eq!(p.weights.as_deref(), Some(&[0.6, 0.4][..]));
    assert_eq!(p.utilities, [Some(1.0), Some(0.5), Some(0.0), Some(1.0), Some(0.4)]);
    assert_eq!(
        (p.reservation, p.utility_cap, p.discount_factor),
        (Some(0.3), Some(1.0), Some(0.9))
    );
    let (s, _) = genius(BUYER, Semantics::NegmasRaw);
    let p = &s.unwrap().preferences[0];
    assert_eq!(p.utilities, [Some(0.5), Some(0.0), Some(-0.5), Some(10.0), Some(4.0)]);
    assert_eq!(p.utility_cap, None);
}

#[test]
fn malformed_xml_gets_a_diagnostic_with_line_and_column() {
    let broken =
        BUYER.replace("<weight index=\"1\" value=\"0.6\"/>", "<weight index=\"1\" value=\"0.6\">");
    let (s, d) = genius(&broken, Semantics::Genius);
    assert!(s.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].starts_with("dir/buyer.xml:") && d[0].contains("malformed XML"), "{d:?}");
}

#[test]
fn profile_errors_name_the_issue() {
    let bad = BUYER.replace("value=\"blue\" evaluation=\"4\"", "value=\"green\" evaluation=\"x\"");
    let (s, d) = genius(&bad, Semantics::Genius);
    assert!(s.is_none());
    assert_eq!(
        d,
        [
            r#"dir/buyer.xml:8:4: error: issue[color].item[green].evaluation: value "green" is not in the domain; expected a value of the issue"#
        ]
    );
    let bad = BUYER.replace("<weight index=\"2\" value=\"0.4\"/>", "");
    let (_, d) = genius(&bad, Semantics::Genius);
    assert_eq!(
        d,
        [
            r#"dir/buyer.xml:6:3: error: issue[color]: no <weight index="2"> for this issue; expected a weight per issue"#
        ]
    );
    let (_, d) = genius("<negotiation_template/>", Semantics::Genius);
    assert_eq!(
        d,
        [
            "dir/buyer.xml:1:1: error: root element is <negotiation_template>; expected <utility_space> (a Genius profile)"
        ]
    );
}

#[test]
fn geniusweb_profiles_and_errors() {
    let domain = r#"{"name":"party","issuesValues":{"Food":{"values":["Chips","Catering"]},"Price":{"range":[12,18,1]}}}"#;
    let profile = r#"{"LinearAdditiveUtilitySpace":{"name":"p","issueUtilities":{
        "Food":{"discreteutils":{"valueUtilities":{"Chips":0.2,"Catering":0.8}}},
        "Price":{"numberutils":{"lowValue":12,"lowUtility":0.3,"highValue":18,"highUtility":0.6}}},
        "issueWeights":{"Food":0.6,"Price":0.4},
        "reservationBid":{"issuevalues":{"Food":"Catering","Price":12}}}}"#;
    let options = ImportOptions { semantics: Semantics::Genius, cap_at_one: false };
    let (s, d) = import_geniusweb(
        InputFile { name: "d.json", text: domain },
        &[InputFile { name: "p.json", text: profile }],
        options,
    );
    assert!(d.is_empty(), "{d:?}");
    let s = s.unwrap();
    assert_eq!(s.issues[1].options.len(), 7, "12..=18 by 1");
    let p = &s.preferences[0];
    // numberutils interpolate: 12 → 0.3, 15 → 0.45, 18 → 0.6.
    assert!(
        (p.utilities[2].unwrap() - 0.3).abs() < 1e-12
            && (p.utilities[5].unwrap() - 0.45).abs() < 1e-12
    );
    // The reservation value is the utility of the reservation bid: 0.6 × 0.8 + 0.4 × 0.3.
    assert!((p.reservation.unwrap() - 0.6).abs() < 1e-12);

    let (s, d) = import_geniusweb(
        InputFile { name: "d.json", text: "{\"name\": \"x\",\n \"issuesValues\": {" },
        &[],
        options,
    );
    assert!(s.is_none());
    let first = d[0].to_string();
    assert!(first.starts_with("d.json:2:") && first.contains("malformed JSON"), "{first}");
    let bad = profile.replace("\"Price\":0.4", "\"Price\":\"heavy\"");
    let (_, d) = import_geniusweb(
        InputFile { name: "d.json", text: domain },
        &[InputFile { name: "p.json", text: &bad }],
        options,
    );
    assert!(
        d.iter().any(|d| d
            .to_string()
            .contains("LinearAdditiveUtilitySpace.issueWeights.Price: missing or not a number")),
        "{d:?}"
    );
}

/// A folder of one domain and nine profiles (as ANAC 2015 keeps them) is a pool: importing it whole
/// would seat nine parties. It is refused with the way out named; `--profiles` picks by number or by
/// name; a choice that names no profile says which there are.
#[test]
fn a_pool_of_profiles_is_refused_unless_the_parties_are_chosen() {
    use crate::import::import_folder;
    let names: Vec<String> = (1..=9).map(|i| format!("pool/util{i}.xml")).collect();
    let mut files = vec![InputFile { name: "pool/domain.xml", text: DOMAIN }];
    files.extend(names.iter().map(|name| InputFile { name, text: BUYER }));
    let options = ImportOptions::default();
    let err = import_folder("pool", &files, options, None).unwrap_err();
    assert!(err.contains("9 profiles is a pool") && err.contains("--profiles 1,2,3"), "{err}");
    let choice = ["2".to_string(), "util5.xml".to_string(), "pool/util9.xml".to_string()];
    let (s, d) = import_folder("pool", &files, options, Some(&choice)).unwrap();
    assert!(d.is_empty(), "{d:?}");
    let ids: Vec<String> = s.unwrap().parties.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, ["util2", "util5", "util9"]);
    for bad in ["10", "0", "util11.xml"] {
        let err = import_folder("pool", &files, options, Some(&[bad.to_string()])).unwrap_err();
        assert!(err.contains("no such profile") && err.contains("1 util1.xml"), "{err}");
    }
    let twice = ["1".to_string(), "util1.xml".to_string()];
    assert!(import_folder("pool", &files, options, Some(&twice)).unwrap_err().contains("twice"));
    // Six profiles or fewer are one per party, as before.
    let (s, _) = import_folder("pool", &files[..7], options, None).unwrap();
    assert_eq!(s.unwrap().parties.len(), 6);
}

/// Issue 21 (a review of the fix): the limit on values holds for the domain's issues together, so a
/// few kilobytes of integer issues cannot expand to millions of options before the size check.
#[test]
fn issue21_the_values_of_all_integer_issues_share_one_limit() {
    let issue = |k: usize| {
        format!(
            r#"<issue index="{k}" name="n{k}" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="40000"/>"#
        )
    };
    let domain = format!(
        r#"<negotiation_template><utility_space number_of_issues="3"><objective index="0" name="root" type="objective" etype="objective">{}{}{}</objective></utility_space></negotiation_template>"#,
        issue(1),
        issue(2),
        issue(3)
    );
    let (s, d) = import_genius(
        InputFile { name: "domain.xml", text: &domain },
        &[InputFile { name: "a.xml", text: BUYER }],
        ImportOptions { semantics: Semantics::Genius, cap_at_one: true },
    );
    assert!(s.is_none());
    let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    assert!(
        d.iter().any(
            |d| d.contains("issue[n3]") && d.contains("in all the domain's issues (20000 left")
        ),
        "{d:?}"
    );
    let web = serde_json::json!({"name": "d", "issuesValues": {
        "a": {"range": [1, 60000, 1]}, "b": {"range": [1, 60000, 1]}
    }})
    .to_string();
    let (s, d) = import_geniusweb(
        InputFile { name: "domain.json", text: &web },
        &[],
        ImportOptions { semantics: Semantics::Genius, cap_at_one: true },
    );
    assert!(s.is_none());
    assert!(d.iter().any(|d| d.to_string().contains("in all the domain's issues")), "{d:?}");
}
