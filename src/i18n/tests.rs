//! Tests of the locale: tables, fallback, plurals, dates and direction.

use super::*;
use crate::date::Date;

fn fr() -> Locale {
    Locale::new("fr", &StringTable::new(), &SectionNames::default())
}

#[test]
fn built_in_tables_parse_and_french_has_every_english_key() {
    check_built_in().unwrap();
    let english: Vec<&str> = built_in_strings("en").into_iter().map(|(k, _)| k).collect();
    assert!(english.len() > 50);
    for key in &english {
        assert!(built_in_entry("fr", key).is_some(), "fr.yaml lacks `{key}`");
    }
    for (key, _) in built_in_strings("fr") {
        assert!(
            english.contains(&key),
            "fr.yaml has `{key}`, which en.yaml does not"
        );
    }
}

#[test]
fn lookups_fall_back_from_override_to_language_to_english() {
    let overrides: StringTable = [("briefs".to_string(), StringEntry::Text("Dossiers".into()))]
        .into_iter()
        .collect();
    let fr_ca = Locale::new("fr-CA", &overrides, &SectionNames::default());
    assert_eq!(fr_ca.text("briefs"), "Dossiers");
    assert_eq!(fr_ca.text("actors"), "Acteurs");
    let de = Locale::new("de", &StringTable::new(), &SectionNames::default());
    assert_eq!(de.text("actors"), "Actors");
    assert_eq!(de.text("no_such_key"), "no_such_key");
}

#[test]
fn plurals_follow_the_language() {
    let en = Locale::english();
    assert_eq!(en.count("n_briefs", 1, &[]), "1 brief");
    assert_eq!(en.count("n_briefs", 0, &[]), "0 briefs");
    assert_eq!(en.count("reading_time", 5, &[]), "5 min read");
    let fr = fr();
    assert_eq!(fr.count("n_briefs", 0, &[]), "0 note");
    assert_eq!(fr.count("n_briefs", 1, &[]), "1 note");
    assert_eq!(fr.count("n_briefs", 3, &[]), "3 notes");
    assert_eq!(fr.count("reading_time", 1, &[]), "1 min de lecture");
    assert_eq!(fr.count("reading_time", 5, &[]), "5 min de lecture");
    // A language with more categories takes `few` when the site gives it, else `other`.
    let forms: StringTable = [(
        "n_briefs".to_string(),
        StringEntry::Plural(
            [
                ("one", "{n} notatka"),
                ("few", "{n} notatki"),
                ("other", "{n} notatek"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ),
    )]
    .into_iter()
    .collect();
    let pl = Locale::new("pl", &forms, &SectionNames::default());
    assert_eq!(pl.count("n_briefs", 3, &[]), "3 notatki");
    assert_eq!(pl.count("n_briefs", 5, &[]), "5 notatek");
}

#[test]
fn dates_are_written_in_the_language() {
    let date = Date::parse("2021-07-12").unwrap();
    assert_eq!(Locale::english().date(&date), "12 July 2021");
    assert!(Locale::english().has_english_dates());
    assert_eq!(fr().date(&date), "12 juillet 2021");
    assert_eq!(fr().month(7), "Juillet");
    assert_eq!(fr().date_view(&date).iso, "2021-07-12");
    let de = Locale::new("de", &StringTable::new(), &SectionNames::default());
    assert_eq!(de.date(&date), "12 Juli 2021");
    let custom: StringTable = [(
        "date_format".to_string(),
        StringEntry::Text("%e %B %Y".into()),
    )]
    .into_iter()
    .collect();
    let bad: StringTable = [("date_format".to_string(), StringEntry::Text("%Q".into()))]
        .into_iter()
        .collect();
    assert_eq!(
        Locale::new("fr", &custom, &SectionNames::default()).date(&date),
        "12 juillet 2021"
    );
    assert_eq!(
        Locale::new("fr", &bad, &SectionNames::default()).date(&date),
        "12 juillet 2021"
    );
}

#[test]
fn placeholders_are_filled() {
    assert_eq!(
        fill("{a} and {b}: {c}", |n| (n != "c").then_some("x")),
        "x and x: {c}"
    );
    assert_eq!(fill("{ not a name }", |_| Some("x")), "{ not a name }");
    assert_eq!(
        Locale::english().format("timeline_of", &[("name", "Iran")]),
        "Timeline of Iran"
    );
}

#[test]
fn direction_by_language_and_by_script() {
    for code in [
        "ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi", "sd", "ug", "ar-EG",
    ] {
        assert!(is_rtl(code), "{code}");
    }
    assert!(!is_rtl("fr") && !is_rtl("en"));
    assert!(is_rtl_text("الحشد الشعبي"));
    assert!(is_rtl_text("«שלום»"));
    assert!(!is_rtl_text("PMU"));
    assert!(!is_rtl_text("123"));
}

#[test]
fn script_strings_only_when_they_differ_from_english() {
    assert_eq!(Locale::english().script_strings(), None);
    let json = fr().script_strings().unwrap();
    assert!(
        json.contains("\"search_none\":\"Aucun résultat\""),
        "{json}"
    );
}

#[test]
fn unknown_keys_get_the_nearest_known_one() {
    let table: StringTable = [
        ("breifs".to_string(), StringEntry::Text("x".into())),
        ("briefs".to_string(), StringEntry::Text("x".into())),
    ]
    .into_iter()
    .collect();
    assert_eq!(unknown_keys(&table), [("breifs", Some("briefs"))]);
}
