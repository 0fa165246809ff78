//! Benchmark corpus generator for `briefly` (std only, deterministic).
//!
//! Usage: gen-corpus --briefs N --out DIR [--seed S]
//!
//! Writes two equivalent sites generated from the same random stream:
//!   DIR/briefly/  a briefly site (site.yaml, content/{briefs,actors,events})
//!   DIR/hugo/     a Hugo site with the same brief bodies and minimal layouts
//!
//! Everything comes from a seeded splitmix64 generator: the same arguments give
//! byte-identical output. Nothing depends on the clock, the environment or hash
//! map iteration order. DIR/briefly and DIR/hugo are deleted first if present.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process;

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        r.next_u64();
        r
    }
    /// splitmix64
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((self.next_u64() >> 11) % n as u64) as usize
    }
    /// Uniform in lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability num/den.
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
    /// k distinct indices from 0..n, in the order drawn.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let i = self.below(n);
            if seen.insert(i) {
                out.push(i);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const ADJ_PLACE: &[&str] = &[
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Coastal",
    "Highland",
    "Lowland",
    "Riverine",
    "Frontier",
    "United",
    "Free",
    "Popular",
    "National",
    "Democratic",
    "Patriotic",
    "Progressive",
    "Sovereign",
    "Allied",
    "Independent",
    "Federal",
    "Maritime",
    "Desert",
    "Mountain",
    "Green",
    "Crimson",
    "Azure",
    "Golden",
    "Iron",
    "Silver",
    "New",
    "Greater",
];

const KINDS: &[(&str, &[&str])] = &[
    (
        "state",
        &[
            "Republic",
            "Federation",
            "Commonwealth",
            "Union",
            "Emirate",
            "Confederation",
        ],
    ),
    (
        "militia",
        &[
            "Brigades",
            "Front",
            "Guard",
            "Battalions",
            "Legion",
            "Movement",
        ],
    ),
    (
        "organisation",
        &[
            "Council",
            "Agency",
            "Institute",
            "Commission",
            "Foundation",
            "Secretariat",
        ],
    ),
    (
        "alliance",
        &["Coalition", "Alliance", "Pact", "Bloc", "League", "Compact"],
    ),
    ("party", &["Party", "Congress", "Assembly", "Rally"]),
];

const FIRST_NAMES: &[&str] = &[
    "Amira", "Tomas", "Leila", "Oren", "Nadia", "Kofi", "Ines", "Rashid", "Mira", "Dmitri", "Sana",
    "Yusuf", "Elena", "Karim", "Hana", "Pavel", "Zainab", "Lucas", "Farah", "Idris", "Maren",
    "Samir", "Ayla", "Jonas", "Rania", "Teodor", "Nour", "Viktor", "Salma", "Arlo",
];

const LAST_NAMES: &[&str] = &[
    "Haddad",
    "Novak",
    "Okafor",
    "Vance",
    "Rahimi",
    "Lindqvist",
    "Mansour",
    "Petrov",
    "Achebe",
    "Karimov",
    "Duarte",
    "Holt",
    "Benali",
    "Sorensen",
    "Qureshi",
    "Marchetti",
    "Tanaka",
    "Osei",
    "Varga",
    "Nasser",
    "Kowalski",
    "Farouk",
    "Ibarra",
    "Mendes",
    "Aziz",
    "Strand",
    "Kamara",
    "Rossi",
    "Yilmaz",
    "Moreau",
];

const COUNTRIES: &[&str] = &[
    "Iraq",
    "Syria",
    "Lebanon",
    "Jordan",
    "Yemen",
    "Libya",
    "Mali",
    "Niger",
    "Chad",
    "Sudan",
    "Somalia",
    "Ethiopia",
    "Kenya",
    "Nigeria",
    "Egypt",
    "Tunisia",
    "Algeria",
    "Turkey",
    "Armenia",
    "Georgia",
    "Ukraine",
    "Moldova",
    "Kazakhstan",
    "Afghanistan",
    "Pakistan",
    "Myanmar",
    "Philippines",
    "Colombia",
    "Venezuela",
    "Haiti",
    "Canada",
    "Norway",
];

const CITIES: &[&str] = &[
    "Port Veran",
    "Al-Qadira",
    "Novo Brest",
    "Kessa",
    "Tal Harun",
    "Marovia",
    "Dun Ellis",
    "Sarkand",
    "Bir Assad",
    "Ostrava Nova",
    "Halvik",
    "Qasr Mina",
    "Lorenzburg",
    "Adeyemi",
    "Karsa",
    "Vell",
    "Ras Tamir",
    "Ember Bay",
    "Siroc",
    "Nahr Sal",
    "Petrovac",
    "Zelin",
    "Umm Darra",
    "Kolvana",
    "Tirano",
    "Bosk",
    "Ain Halwa",
    "Seraph Point",
    "Druzhna",
    "Meknar",
    "Garissa Nova",
    "Fort Albion",
    "Yarlung",
    "Kaveh",
    "Solano",
    "Tesk",
    "Barrow Ford",
    "Al-Mashriq",
    "Lake Imani",
    "Varnos",
];

const TOPICS: &[&str] = &[
    "counter-terrorism",
    "arms-control",
    "sanctions",
    "energy-security",
    "migration",
    "humanitarian-access",
    "peacekeeping",
    "election-integrity",
    "cyber-security",
    "maritime-security",
    "food-security",
    "water-governance",
    "climate-security",
    "security-sector-reform",
    "disarmament",
    "transitional-justice",
    "human-rights",
    "refugee-protection",
    "border-management",
    "critical-minerals",
    "trade-policy",
    "development-aid",
    "reconstruction",
    "public-health",
    "nuclear-proliferation",
    "drone-warfare",
    "proxy-conflict",
    "hostage-diplomacy",
    "organised-crime",
    "disinformation",
    "space-policy",
    "alliance-politics",
    "defence-procurement",
    "foreign-fighters",
    "detention-policy",
    "ceasefire-monitoring",
    "mediation",
    "sovereign-debt",
    "infrastructure-finance",
    "gender-and-security",
];

const REGIONS: &[&str] = &[
    "middle-east",
    "north-africa",
    "sahel",
    "horn-of-africa",
    "gulf",
    "levant",
    "caucasus",
    "central-asia",
    "south-asia",
    "southeast-asia",
    "east-asia",
    "pacific",
    "arctic",
    "baltic",
    "balkans",
    "eastern-europe",
    "western-europe",
    "andes",
    "caribbean",
    "central-america",
    "great-lakes",
    "southern-africa",
    "west-africa",
    "black-sea",
    "red-sea",
];

const NOUNS: &[&str] = &[
    "ceasefire",
    "supply corridor",
    "sanctions regime",
    "security guarantee",
    "border regime",
    "militia network",
    "patronage system",
    "reconstruction fund",
    "power-sharing arrangement",
    "arms pipeline",
    "negotiating track",
    "monitoring mission",
    "detention policy",
    "energy interconnector",
    "port concession",
    "customs union",
    "intelligence-sharing agreement",
    "de-escalation channel",
    "humanitarian corridor",
    "training mission",
    "revenue-sharing formula",
    "disarmament programme",
    "electoral calendar",
    "basing agreement",
    "oil export route",
    "debt restructuring",
    "smuggling economy",
    "air-defence umbrella",
    "command structure",
    "prisoner exchange mechanism",
];

const ADJS: &[&str] = &[
    "fragile",
    "contested",
    "durable",
    "opaque",
    "incremental",
    "asymmetric",
    "coercive",
    "transactional",
    "informal",
    "layered",
    "precarious",
    "credible",
    "fragmented",
    "externally funded",
    "loosely coordinated",
    "deeply entrenched",
    "short-lived",
    "ambitious",
];

const VERBS3: &[&str] = &[
    "undermines",
    "reinforces",
    "complicates",
    "constrains",
    "reshapes",
    "exploits",
    "tests",
    "erodes",
    "legitimises",
    "entrenches",
    "weakens",
    "rewards",
    "destabilises",
    "outlasts",
];

const VERBS_BASE: &[&str] = &[
    "undermine",
    "reinforce",
    "complicate",
    "constrain",
    "reshape",
    "exploit",
    "test",
    "erode",
    "legitimise",
    "entrench",
    "weaken",
    "reward",
    "destabilise",
    "outlast",
];

const ADVERBS: &[&str] = &[
    "quietly",
    "steadily",
    "abruptly",
    "openly",
    "increasingly",
    "repeatedly",
    "deliberately",
    "cautiously",
    "largely",
    "visibly",
];

const OUTCOMES: &[&str] = &[
    "renewed escalation",
    "a negotiated settlement",
    "further displacement",
    "fiscal collapse",
    "a frozen conflict",
    "regional spillover",
    "a managed stalemate",
    "fragmentation of the state",
    "a return to open fighting",
    "gradual normalisation",
];

const INSTRUMENTS: &[&str] = &[
    "targeted sanctions",
    "conditional aid",
    "quiet diplomacy",
    "security assistance",
    "export controls",
    "technical mediation",
    "public attribution",
    "multilateral monitoring",
    "debt relief",
    "visa restrictions",
    "capacity-building programmes",
    "back-channel talks",
];

const SOURCES: &[&str] = &[
    "UN panel of experts",
    "International Crisis Observatory",
    "Regional Security Monitor",
    "Conflict Data Project",
    "Humanitarian Access Survey",
    "Open Source Verification Unit",
    "Independent Audit Office",
    "Sanctions Tracking Initiative",
];

const STANCES: &[&str] = &[
    "supportive",
    "opposed",
    "ambivalent",
    "hedging",
    "conditional support",
    "spoiler",
    "mediator",
    "neutral",
];

const HOOKS: &[&str] = &[
    "Caught in the Crossfire",
    "Fault Lines",
    "Brinkmanship",
    "Stalemate",
    "Red Lines",
    "Hedging Bets",
    "Deterrence by Default",
    "A Fragile Thaw",
    "Strategic Drift",
    "Leverage Lost",
    "Spillover",
    "Borrowed Time",
    "The Long Game",
    "Shifting Sands",
    "Under Pressure",
    "Holding the Line",
    "After the Ceasefire",
    "Contested Ground",
    "Quiet Escalation",
    "The Missing Middle",
];

const FREE_HEADINGS: &[&str] = &[
    "Regional Dynamics",
    "The Security Picture",
    "Economic Levers",
    "Humanitarian Consequences",
    "Domestic Politics",
    "Outlook",
    "The Diplomatic Track",
    "Risks and Uncertainties",
    "Implications for Partners",
    "What Has Changed",
    "Competing Interests",
    "The Role of External Actors",
    "Lessons from Earlier Efforts",
    "Governance and Legitimacy",
];

const SUBHEADINGS: &[&str] = &[
    "Short-term risks",
    "Structural drivers",
    "Spoilers",
    "Opportunities",
    "The view from the capital",
    "Financing",
    "Local perspectives",
    "Indicators to watch",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Sentence templates for running text. Slots:
/// {A} {B} actor mention, {T} topic, {R} region, {E} event, {Y} year, {N} number,
/// {P} percent, {C} city, {K} country, {n} noun, {a} adjective, {v} verb (3rd person),
/// {vb} verb (base), {ad} adverb, {o} outcome, {i} instrument, {s} source, {L} source link.
const SENTENCES: &[&str] = &[
    "{A} has {ad} expanded its role in the {a} {n} since {Y}, a shift that {v} the position of {B}.",
    "The {n} remains {a}, and few observers expect it to survive another round of pressure from {A}.",
    "According to the {s}, {A} controlled at least {N} checkpoints along the {n} by the end of {Y}.",
    "Since {E}, {A} and {B} have traded accusations over who bears responsibility for the collapse of the {n}.",
    "In practice, {T} in {R} depends less on formal agreements than on the {a} understandings struck between {A} and local intermediaries.",
    "Officials in {C} describe the {n} as {a}, pointing to repeated violations attributed to {A}.",
    "The pattern is familiar: {A} {v} the {n}, {B} responds with {i}, and the cycle resumes within weeks.",
    "{A} draws roughly {P} percent of its revenue from the {n}, which gives outside actors unusual leverage over its behaviour.",
    "A {L} estimated that {N} incidents linked to {A} were recorded around {C} in {Y} alone.",
    "None of this was inevitable; the {n} agreed in {Y} offered a {a} but real path away from {o}.",
    "For {B}, the calculation is simple: any concession on the {n} {v} its standing with domestic constituencies.",
    "The episode exposed how thin the coordination between {A} and {B} had become on questions of {T}.",
    "Analysts disagree on whether {A} acts on instructions from {B} or pursues its own agenda in {R}.",
    "Following {E}, pressure mounted on {A} to accept international monitoring of the {n}.",
    "Local sources in {C} report that {A} has {ad} recruited fighters from communities displaced since {Y}.",
    "The {a} nature of the {n} means that even minor incidents can trigger {o}.",
    "Diplomats in {K} have {ad} argued that {i} would do more to shift the behaviour of {A} than public condemnation.",
    "What emerges is a {a} equilibrium in which {A} and {B} each benefit from the absence of a settlement.",
    "Donors committed {N} million dollars to the {n} in {Y}, but less than {P} percent had been disbursed a year later.",
    "The debate over {T} has become a proxy for a wider contest between {A} and {B} over influence in {R}.",
    "Critics note that {A} has never publicly committed to the {n}, preferring to keep its options open.",
    "The timing was not accidental: {E} came only days after {B} signalled a change of course on {T}.",
    "Without a credible {n}, relying on {i} alone is unlikely to prevent {o} in {R}.",
    "The authorities in {C} have {ad} relied on {A} to provide security, at the cost of their own legitimacy.",
    "Seen from {K}, the main risk is not a sudden collapse but a slow drift towards {o}.",
    "Data compiled by the {s} show a {P} percent rise in incidents involving {A} between {Y} and the following year.",
    "The {n} was designed to {vb} the influence of {A}, yet in practice it has done the opposite.",
    "Both {A} and {B} describe their presence around {C} as defensive, an account that local residents dispute.",
    "Any durable approach to {T} will have to address the {a} incentives that keep the {n} in place.",
    "Several interlocutors in {C} warned that {A} could {vb} the {n} if its demands are ignored.",
    "The failure of {E} to change the balance of forces surprised many in {K}.",
    "This brief draws on interviews conducted in {C} and on reporting by the {s}.",
    "{A}, for its part, insists that the {n} is a domestic matter beyond the reach of {i}.",
    "By {Y}, the {n} had become the single most important source of leverage for {A} in {R}.",
    "Even sympathetic partners acknowledge that the turn to {i} has so far failed to {vb} the calculations of {B}.",
    "The {s} has documented at least {N} cases in which the {n} was used to move weapons into {R}.",
];

const KEY_POINT_SENTENCES: &[&str] = &[
    "{A} is likely to {vb} the {n} unless {B} accepts a role for international monitors.",
    "The {a} {n} in {R} is now the main obstacle to progress on {T}.",
    "Since {E}, the risk of {o} has grown markedly.",
    "{A} and {B} share an interest in avoiding {o}, but not in a settlement that would constrain either.",
    "Partners should expect {A} to test the limits of the {n} before the end of {Yf}.",
    "Current approaches to {T} rely too heavily on {i} and too little on local ownership.",
    "The {n} {v} efforts to address {T} across {R}.",
    "Roughly {P} percent of recorded incidents in {C} are attributed to {A} or groups aligned with it.",
];

const RECOMMENDATION_SENTENCES: &[&str] = &[
    "Press {A} to accept independent monitoring of the {n}, using {i} as leverage.",
    "Support mediation between {A} and {B} through a standing channel based in {C}.",
    "Tie further assistance on {T} to measurable progress on the {n}.",
    "Coordinate with partners in {K} to limit the room {A} has to exploit the {n}.",
    "Fund local organisations in {C} that document violations linked to {A}.",
    "Review existing {i} against {B} and publish clear criteria for lifting them.",
    "Invest in early-warning capacity on {T} across {R}, drawing on data from the {s}.",
    "Prepare contingency plans for {o}, including the protection of civilians around {C}.",
];

const RECOMMENDATION_LEADS: &[&str] = &[
    "Prioritise de-escalation.",
    "Use leverage deliberately.",
    "Invest in monitoring.",
    "Work through multilateral channels.",
    "Protect civilians first.",
    "Plan for the worst case.",
    "Stay engaged.",
    "Align aid with diplomacy.",
];

const EVENT_TEMPLATES: &[&str] = &[
    "seizure of {C} by {A}",
    "ceasefire accord between {A} and {B}",
    "drone strike on {A} positions near {C}",
    "collapse of the {C} talks",
    "sanctions package targeting {A}",
    "general elections in {K}",
    "{C} summit of {A} and {B}",
    "prisoner exchange between {A} and {B}",
    "rocket attack on {C} airport",
    "withdrawal of {A} from {C}",
    "killing of a senior {A} commander in {C}",
    "signing of the {C} framework agreement",
    "mass protests in {C}",
    "border clashes between {A} and {B}",
    "launch of the {A} reconstruction fund",
    "arrest of {A} financiers in {C}",
    "naval incident off {C}",
    "parliamentary vote on the {A} mandate",
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: u32,
    m: u32,
    d: u32,
}

impl Date {
    fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
    fn long(&self) -> String {
        format!("{} {} {}", self.d, MONTHS[self.m as usize - 1], self.y)
    }
    fn month_year(&self) -> String {
        format!("{} {}", MONTHS[self.m as usize - 1], self.y)
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn random_date(rng: &mut Rng, y0: u32, y1: u32) -> Date {
    let y = rng.range(y0 as usize, y1 as usize) as u32;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, days_in_month(y, m) as usize) as u32;
    Date { y, m, d }
}

fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            // drop apostrophes without a separator
        } else {
            dash = true;
        }
    }
    out
}

/// Cut a slug at a hyphen so it is at most `max` bytes long.
fn truncate_slug(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut cut = match s[..max].rfind('-') {
        Some(i) if i > 0 => &s[..i],
        _ => &s[..max],
    };
    // Do not end on a dangling short word ("...-and-trade-policy-in").
    while let Some(i) = cut.rfind('-') {
        if matches!(&cut[i + 1..], "in" | "the" | "and" | "of" | "on" | "for") {
            cut = &cut[..i];
        } else {
            break;
        }
    }
    cut.to_string()
}

/// The actor key used by briefly (ASCII subset): lowercase, punctuation and spaces dropped.
fn norm_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().collect::<String>() + cs.as_str(),
        None => String::new(),
    }
}

/// A YAML double-quoted scalar.
fn yq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_list<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| yq(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

fn write_file(path: &Path, content: &str) {
    if let Some(parent) = path.parent() {
        if let Err(e) = fs::create_dir_all(parent) {
            die(&format!("cannot create {}: {}", parent.display(), e));
        }
    }
    if let Err(e) = fs::write(path, content) {
        die(&format!("cannot write {}: {}", path.display(), e));
    }
}

fn die(msg: &str) -> ! {
    eprintln!("gen-corpus: {msg}");
    process::exit(1);
}

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

struct Actor {
    slug: String,
    name: String,
    aliases: Vec<String>,
    kind: String,
    country: String,
}

struct Event {
    stem: String,
    title: String,
    /// Noun phrase usable after "the" in running text.
    phrase: String,
    date: Date,
    location: String,
    actors: Vec<usize>,
}

struct Brief {
    slug: String,
    title: String,
    subtitle: String,
    date: Date,
    authors: Vec<String>,
    summary: String,
    actors: Vec<usize>,
    events: Vec<usize>,
    topics: Vec<&'static str>,
    regions: Vec<&'static str>,
    body: String,
}

fn gen_actors(rng: &mut Rng, n: usize) -> Vec<Actor> {
    let mut keys = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    let mut actors = Vec::with_capacity(n);
    for i in 0..n {
        let num = i + 1;
        let country = rng.pick(COUNTRIES).to_string();
        let (kind, name, mut aliases) = if rng.chance(1, 6) {
            // A person: "Amira Haddad 17", aliases "AH17" and "Haddad-17".
            let first = *rng.pick(FIRST_NAMES);
            let last = *rng.pick(LAST_NAMES);
            let name = format!("{first} {last} {num}");
            let initials = format!("{}{}{}", &first[..1], &last[..1], num);
            (
                "person".to_string(),
                name,
                vec![initials, format!("{}-{}", last, num)],
            )
        } else {
            let (kind, nouns) = *rng.pick(KINDS);
            let adj = *rng.pick(ADJ_PLACE);
            let noun = *rng.pick(nouns);
            let name = format!("{adj} {noun} {num}");
            let initials = format!("{}{}{}", &adj[..1], &noun[..1], num);
            (
                kind.to_string(),
                name,
                vec![initials, format!("{}-{}", noun, num)],
            )
        };
        if rng.chance(1, 2) {
            aliases.truncate(1);
        }
        let slug = slugify(&name);
        for k in std::iter::once(&name).chain(aliases.iter()) {
            if !keys.insert(norm_key(k)) {
                die(&format!("internal error: duplicate actor key {k}"));
            }
        }
        if !slugs.insert(slug.clone()) {
            die(&format!("internal error: duplicate actor slug {slug}"));
        }
        actors.push(Actor {
            slug,
            name,
            aliases,
            kind,
            country,
        });
    }
    actors
}

fn fill_event_template(rng: &mut Rng, t: &str, actors: &[Actor], used: &mut Vec<usize>) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').unwrap();
        let key = &rest[open + 1..close];
        match key {
            "A" | "B" => {
                let mut i = rng.below(actors.len());
                while used.contains(&i) {
                    i = rng.below(actors.len());
                }
                used.push(i);
                out.push_str(&actors[i].name);
            }
            "C" => out.push_str(rng.word(CITIES)),
            "K" => out.push_str(rng.word(COUNTRIES)),
            _ => unreachable!("event slot {}", key),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn gen_events(rng: &mut Rng, n: usize, actors: &[Actor]) -> Vec<Event> {
    let mut stems = BTreeSet::new();
    let mut events = Vec::with_capacity(n);
    while events.len() < n {
        let date = random_date(rng, 2010, 2024);
        let t = *rng.pick(EVENT_TEMPLATES);
        let mut used = Vec::new();
        let phrase = fill_event_template(rng, t, actors, &mut used);
        let title = capitalise(&phrase);
        let stem = format!("{}-{}", date.iso(), slugify(&title));
        if !stems.insert(stem.clone()) {
            continue;
        }
        let extra = rng.range(0, 2);
        for _ in 0..extra {
            let i = rng.below(actors.len());
            if !used.contains(&i) {
                used.push(i);
            }
        }
        if used.is_empty() {
            used.push(rng.below(actors.len()));
        }
        let location = format!("{}, {}", rng.pick(CITIES), rng.pick(COUNTRIES));
        events.push(Event {
            stem,
            title,
            phrase,
            date,
            location,
            actors: used,
        });
    }
    events.sort_by(|a, b| (a.date, &a.stem).cmp(&(b.date, &b.stem)));
    events
}

/// Per-brief text generation state.
struct TextCtx<'a> {
    actors: &'a [Actor],
    events: &'a [Event],
    tagged: &'a [usize],
    brief_events: &'a [usize],
    topics: &'a [&'static str],
    regions: &'a [&'static str],
    year: u32,
    mentioned: BTreeSet<usize>,
    last_actor: usize,
}

impl<'a> TextCtx<'a> {
    fn actor_ref(&mut self, rng: &mut Rng) -> String {
        let mut i;
        loop {
            i = if rng.chance(17, 20) {
                *rng.pick(self.tagged)
            } else {
                rng.below(self.actors.len())
            };
            if i != self.last_actor || self.tagged.len() < 2 {
                break;
            }
        }
        self.last_actor = i;
        let a = &self.actors[i];
        if self.mentioned.insert(i) {
            if rng.chance(1, 2) {
                format!("{} ({})", a.name, a.aliases[0])
            } else {
                a.name.clone()
            }
        } else if rng.chance(11, 20) {
            a.name.clone()
        } else {
            rng.pick(&a.aliases).clone()
        }
    }

    fn topic(&self, rng: &mut Rng) -> String {
        let t = if rng.chance(7, 10) {
            *rng.pick(self.topics)
        } else {
            *rng.pick(TOPICS)
        };
        t.replace('-', " ")
    }

    fn region(&self, rng: &mut Rng) -> String {
        region_name(rng.word(self.regions))
    }

    fn event(&self, rng: &mut Rng) -> String {
        let e = &self.events[*rng.pick(self.brief_events)];
        format!("the {} ({})", e.phrase, e.date.long())
    }

    fn expand(&mut self, rng: &mut Rng, t: &str) -> String {
        let mut out = String::with_capacity(t.len() + 80);
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap();
            let key = &rest[open + 1..close];
            match key {
                "A" | "B" => {
                    let s = self.actor_ref(rng);
                    out.push_str(&s);
                }
                "T" => out.push_str(&self.topic(rng)),
                "R" => out.push_str(&self.region(rng)),
                "E" => out.push_str(&self.event(rng)),
                "Y" => {
                    let y = self.year as usize;
                    let _ = write!(out, "{}", rng.range(y.saturating_sub(6).max(2004), y));
                }
                "Yf" => {
                    let _ = write!(out, "{}", self.year as usize + rng.range(0, 1));
                }
                "N" => {
                    let _ = write!(out, "{}", rng.range(3, 240));
                }
                "P" => {
                    let _ = write!(out, "{}", rng.range(5, 85));
                }
                "C" => out.push_str(rng.word(CITIES)),
                "K" => out.push_str(rng.word(COUNTRIES)),
                "n" => {
                    let n = *rng.pick(NOUNS);
                    if rng.chance(1, 25) {
                        let _ = write!(out, "*{n}*");
                    } else {
                        out.push_str(n);
                    }
                }
                "a" => out.push_str(rng.word(ADJS)),
                "v" => out.push_str(rng.word(VERBS3)),
                "vb" => out.push_str(rng.word(VERBS_BASE)),
                "ad" => out.push_str(rng.word(ADVERBS)),
                "o" => out.push_str(rng.word(OUTCOMES)),
                "i" => out.push_str(rng.word(INSTRUMENTS)),
                "s" => out.push_str(rng.word(SOURCES)),
                "L" => {
                    let s = *rng.pick(SOURCES);
                    let _ = write!(
                        out,
                        "[report by the {}](https://example.org/sources/{}/{}-{})",
                        s,
                        slugify(s),
                        self.year,
                        rng.range(1, 99)
                    );
                }
                _ => unreachable!("slot {}", key),
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        fix_articles(&capitalise(&out))
    }

    fn sentence(&mut self, rng: &mut Rng, templates: &[&'static str]) -> String {
        let t = rng.word(templates);
        self.expand(rng, t)
    }

    fn paragraph(&mut self, rng: &mut Rng) -> String {
        let n = rng.range(4, 7);
        let mut p = String::new();
        for k in 0..n {
            if k > 0 {
                p.push(' ');
            }
            let t = *rng.pick(SENTENCES);
            p.push_str(&self.expand(rng, t));
        }
        p
    }
}

/// "a ambitious" -> "an ambitious", "a 85 percent" -> "an 85 percent".
fn fix_articles(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    loop {
        let found = [" a ", "A "]
            .iter()
            .filter_map(|pat| rest.find(pat).map(|i| (i, *pat)))
            .filter(|&(i, pat)| pat == " a " || i == 0 || rest.as_bytes()[i - 1] == b' ')
            .min();
        let Some((i, pat)) = found else { break };
        let end = i + pat.len();
        let next = &rest[end..];
        let vowel = next.starts_with(|c: char| "aeioAEIO8".contains(c))
            || next.starts_with("11 ")
            || next.starts_with("18 ")
            || next.starts_with("*a")
            || next.starts_with("*e")
            || next.starts_with("*i")
            || next.starts_with("*o");
        out.push_str(&rest[..end - 1]);
        if vowel {
            out.push('n');
        }
        out.push(' ');
        rest = next;
    }
    out.push_str(rest);
    out
}

fn region_name(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .map(|w| {
            if w == "of" {
                w.to_string()
            } else {
                capitalise(w)
            }
        })
        .collect();
    let s = words.join(" ");
    match slug {
        "middle-east" | "sahel" | "horn-of-africa" | "gulf" | "levant" | "caucasus" | "arctic"
        | "baltic" | "balkans" | "andes" | "caribbean" | "great-lakes" | "black-sea"
        | "red-sea" | "pacific" => format!("the {s}"),
        _ => s,
    }
}

fn gen_table(rng: &mut Rng, ctx: &TextCtx) -> String {
    let topic = ctx.topic(rng);
    let mut t = String::new();
    let _ = writeln!(t, "| Actor | Kind | Position on {topic} | Active since |");
    t.push_str("| --- | --- | --- | ---: |\n");
    let rows = rng.range(4, 7).min(ctx.tagged.len());
    for &i in rng
        .distinct(ctx.tagged.len(), rows)
        .iter()
        .map(|&k| &ctx.tagged[k])
    {
        let a = &ctx.actors[i];
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} |",
            a.name,
            a.kind,
            rng.pick(STANCES),
            rng.range(1990, ctx.year as usize)
        );
    }
    t.pop();
    t
}

fn gen_code(rng: &mut Rng, ctx: &TextCtx) -> String {
    let noun = slugify(rng.word(NOUNS));
    let src = *rng.pick(SOURCES);
    let base = rng.range(2010, ctx.year.max(2010) as usize);
    let vals: Vec<String> = (0..rng.range(4, 8))
        .map(|_| rng.range(0, 150).to_string())
        .collect();
    if rng.chance(1, 2) {
        let mut s =
            String::from("```yaml\n# monitoring indicators used in this brief\nindicators:\n");
        for _ in 0..rng.range(2, 4) {
            let _ = write!(
                s,
                "  - id: {}-{}\n    source: {}\n    baseline: {}\n    threshold: {}\n",
                noun,
                rng.range(1, 9),
                src,
                base,
                rng.range(5, 60)
            );
        }
        s.push_str("```");
        s
    } else {
        format!(
            "```json\n{{\n  \"indicator\": \"{}\",\n  \"source\": \"{}\",\n  \"baseline\": {},\n  \"values\": [{}]\n}}\n```",
            noun,
            src,
            base,
            vals.join(", ")
        )
    }
}

fn gen_body(rng: &mut Rng, ctx: &mut TextCtx) -> String {
    let target = rng.range(8500, 10700);

    // Key points.
    let mut key_points = Vec::new();
    for _ in 0..rng.range(3, 5) {
        let mut item = ctx.sentence(rng, KEY_POINT_SENTENCES);
        if rng.chance(1, 2) {
            item.push(' ');
            item.push_str(&ctx.sentence(rng, SENTENCES));
        }
        key_points.push(format!("- {item}"));
    }
    let key_points = key_points.join("\n");

    // Recommendations.
    let numbered = rng.chance(1, 2);
    let mut recs = Vec::new();
    let leads = rng.distinct(RECOMMENDATION_LEADS.len(), 5);
    for (k, _) in (0..rng.range(3, 5)).enumerate() {
        let mut item = String::new();
        if rng.chance(1, 2) {
            let _ = write!(item, "**{}** ", RECOMMENDATION_LEADS[leads[k]]);
        }
        item.push_str(&ctx.sentence(rng, RECOMMENDATION_SENTENCES));
        if rng.chance(1, 3) {
            item.push(' ');
            item.push_str(&ctx.sentence(rng, SENTENCES));
        }
        if numbered {
            recs.push(format!("{}. {}", k + 1, item));
        } else {
            recs.push(format!("- {item}"));
        }
    }
    let recs = recs.join("\n");
    let rec_heading = if rng.chance(1, 4) {
        format!("Recommendations for {}", rng.pick(COUNTRIES))
    } else {
        "Recommendations".to_string()
    };

    // Free sections.
    let n_free = rng.range(2, 3);
    let free_headings: Vec<&str> = rng
        .distinct(FREE_HEADINGS.len(), n_free)
        .into_iter()
        .map(|i| FREE_HEADINGS[i])
        .collect();

    // sections[0] is Background, then the free sections; each a list of blocks.
    let mut sections: Vec<Vec<String>> = vec![Vec::new(); 1 + n_free];
    let mut size = key_points.len() + recs.len() + 200;
    for _ in 0..3 {
        let p = ctx.paragraph(rng);
        size += p.len() + 2;
        sections[0].push(p);
    }
    for s in sections.iter_mut().skip(1) {
        for _ in 0..2 {
            let p = ctx.paragraph(rng);
            size += p.len() + 2;
            s.push(p);
        }
    }

    // Occasional table, code block, footnotes, sub-headings.
    if rng.chance(1, 5) {
        let s = rng.range(1, n_free);
        let lead = format!(
            "The table below summarises the positions of the main actors as of {}.",
            ctx.year
        );
        let table = gen_table(rng, ctx);
        size += lead.len() + table.len() + 4;
        let at = rng.range(1, sections[s].len());
        sections[s].insert(at, table);
        sections[s].insert(at, lead);
    }
    if rng.chance(1, 10) {
        let s = rng.range(1, n_free);
        let lead = "The indicators tracked for this brief are defined as follows:".to_string();
        let code = gen_code(rng, ctx);
        size += lead.len() + code.len() + 4;
        sections[s].push(lead);
        sections[s].push(code);
    }
    while size + 300 < target {
        let s = if rng.chance(2, 5) {
            0
        } else {
            rng.range(1, n_free)
        };
        let p = ctx.paragraph(rng);
        size += p.len() + 2;
        sections[s].push(p);
    }
    for s in sections.iter_mut().skip(1) {
        if s.len() >= 4 && rng.chance(1, 3) {
            let at = rng.range(2, s.len() - 1);
            if !s[at].starts_with('|')
                && !s[at].starts_with("```")
                && !s[at - 1].starts_with("The ")
            {
                s.insert(at, format!("### {}", rng.pick(SUBHEADINGS)));
            }
        }
    }
    if rng.chance(1, 5) {
        let count = rng.range(1, 2);
        for f in 1..=count {
            let s = rng.range(1, n_free);
            // Find a plain paragraph to annotate.
            let candidates: Vec<usize> = (0..sections[s].len())
                .filter(|&k| {
                    let b = &sections[s][k];
                    !b.starts_with('|')
                        && !b.starts_with('#')
                        && !b.starts_with("```")
                        && !b.starts_with("[^")
                        && b.ends_with('.')
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let k = *rng.pick(&candidates);
            sections[s][k].push_str(&format!("[^{f}]"));
            let src = *rng.pick(SOURCES);
            let when = random_date(rng, ctx.year.saturating_sub(2).max(2008), ctx.year);
            let note = format!(
                "[^{}]: {}, field notes and interviews, {}. Figures are rounded.",
                f,
                src,
                when.month_year()
            );
            sections[s].insert(k + 1, note);
        }
    }

    let mut body = String::with_capacity(target + 2048);
    let _ = write!(body, "## Key Points\n\n{key_points}\n\n## Background\n\n");
    body.push_str(&sections[0].join("\n\n"));
    for (h, s) in free_headings.iter().zip(sections.iter().skip(1)) {
        let _ = write!(body, "\n\n## {}\n\n{}", h, s.join("\n\n"));
    }
    let _ = write!(body, "\n\n## {rec_heading}\n\n{recs}\n");
    body
}

fn gen_briefs(rng: &mut Rng, n: usize, actors: &[Actor], events: &[Event]) -> Vec<Brief> {
    // A fixed pool of authors.
    let mut authors_pool = Vec::new();
    let mut seen = BTreeSet::new();
    while authors_pool.len() < 60 {
        let a = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        if seen.insert(a.clone()) {
            authors_pool.push(a);
        }
    }

    let mut slugs = BTreeSet::new();
    let mut briefs = Vec::with_capacity(n);
    for _ in 0..n {
        let date = random_date(rng, 2010, 2024);

        // Events: prefer those in the six years up to the brief's date.
        let k_events = rng.range(2, 8).min(events.len());
        let hi = events.partition_point(|e| e.date <= date);
        let lo_date = Date {
            y: date.y - 6,
            m: date.m,
            d: 1,
        };
        let lo = events.partition_point(|e| e.date < lo_date);
        let brief_events: Vec<usize> = if hi - lo >= k_events {
            rng.distinct(hi - lo, k_events)
                .into_iter()
                .map(|i| lo + i)
                .collect()
        } else {
            rng.distinct(events.len(), k_events)
        };

        // Actors: some from the events, the rest at random.
        let k_actors = rng.range(5, 15).min(actors.len());
        let mut tagged: Vec<usize> = Vec::new();
        for &e in &brief_events {
            for &a in &events[e].actors {
                if tagged.len() < k_actors / 2 && !tagged.contains(&a) && rng.chance(2, 3) {
                    tagged.push(a);
                }
            }
        }
        while tagged.len() < k_actors {
            let a = rng.below(actors.len());
            if !tagged.contains(&a) {
                tagged.push(a);
            }
        }

        let k_topics = rng.range(3, 6);
        let k_regions = rng.range(1, 3);
        let k_authors = rng.range(1, 3);
        let topics: Vec<&'static str> = rng
            .distinct(TOPICS.len(), k_topics)
            .into_iter()
            .map(|i| TOPICS[i])
            .collect();
        let regions: Vec<&'static str> = rng
            .distinct(REGIONS.len(), k_regions)
            .into_iter()
            .map(|i| REGIONS[i])
            .collect();
        let authors: Vec<String> = rng
            .distinct(authors_pool.len(), k_authors)
            .into_iter()
            .map(|i| authors_pool[i].clone())
            .collect();

        let mut ctx = TextCtx {
            actors,
            events,
            tagged: &tagged,
            brief_events: &brief_events,
            topics: &topics,
            regions: &regions,
            year: date.y,
            mentioned: BTreeSet::new(),
            last_actor: usize::MAX,
        };

        let a0 = &actors[tagged[0]].name;
        let a1 = &actors[tagged[1]].name;
        let region = region_name(regions[0]);
        let topic = topics[0].replace('-', " ");
        let title = match rng.below(4) {
            0 => format!("{}: {} and {} in {}", rng.pick(HOOKS), a0, topic, region),
            1 => format!("{}: {} and {}", rng.pick(HOOKS), a0, a1),
            2 => format!("{}: Rethinking {} in {}", rng.pick(HOOKS), topic, region),
            _ => format!("{} in {}", rng.pick(HOOKS), region),
        };
        let subtitle = match rng.below(3) {
            0 => format!("How {a0} and {a1} are reshaping {topic} in {region}"),
            1 => format!(
                "Why the {} matters for {} after {}",
                rng.pick(NOUNS),
                topic,
                date.y - 1
            ),
            _ => format!(
                "{} options on {} in {}",
                capitalise(rng.word(ADJS)),
                topic,
                region
            ),
        };
        let base = truncate_slug(&slugify(&title), 60);
        let mut slug = base.clone();
        let mut k = 2;
        while !slugs.insert(slug.clone()) {
            slug = format!("{base}-{k}");
            k += 1;
        }

        let summary = {
            let s1 = ctx.sentence(rng, KEY_POINT_SENTENCES);
            let s2 = ctx.sentence(rng, RECOMMENDATION_SENTENCES);
            format!(
                "{} This brief recommends that partners {}{}",
                s1,
                s2[..1].to_lowercase(),
                &s2[1..]
            )
        };
        // The summary's mentions are not body mentions: reset first-mention state.
        ctx.mentioned.clear();
        let body = gen_body(rng, &mut ctx);

        briefs.push(Brief {
            slug,
            title,
            subtitle,
            date,
            authors,
            summary,
            actors: tagged,
            events: brief_events,
            topics,
            regions,
            body,
        });
    }
    briefs
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

fn write_briefly(root: &Path, actors: &[Actor], events: &[Event], briefs: &[Brief], rng: &mut Rng) {
    write_file(
        &root.join("site.yaml"),
        "title: Benchmark Briefs\nbase_url: https://example.org/\nlanguage: en\n",
    );
    for a in actors {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "name: {}", yq(&a.name));
        let _ = writeln!(s, "aliases: {}", yaml_list(&a.aliases));
        let _ = writeln!(s, "kind: {}", yq(&a.kind));
        let _ = writeln!(s, "country: {}", yq(&a.country));
        s.push_str("---\n");
        let _ = writeln!(
            s,
            "{} ({}) is a {} active mainly in {}. It is tracked here because of its role in {} and its ties to networks around {}.",
            a.name,
            a.aliases[0],
            a.kind,
            a.country,
            rng.pick(NOUNS),
            rng.pick(CITIES)
        );
        if rng.chance(1, 2) {
            let _ = writeln!(
                s,
                "\nObservers describe its approach as {} and its relations with neighbouring actors as {}.",
                rng.pick(ADJS),
                rng.pick(ADJS)
            );
        }
        write_file(
            &root.join("content/actors").join(format!("{}.md", a.slug)),
            &s,
        );
    }
    for e in events {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: {}", yq(&e.title));
        let _ = writeln!(s, "date: {}", e.date.iso());
        let _ = writeln!(s, "location: {}", yq(&e.location));
        let slugs: Vec<&str> = e.actors.iter().map(|&i| actors[i].slug.as_str()).collect();
        let _ = writeln!(s, "actors: {}", yaml_list(&slugs));
        s.push_str("---\n");
        let _ = writeln!(
            s,
            "On {}, the {} took place near {}. Reports at the time described the situation as {}, with consequences for the {}.",
            e.date.long(),
            e.phrase,
            e.location,
            rng.pick(ADJS),
            rng.pick(NOUNS)
        );
        write_file(
            &root.join("content/events").join(format!("{}.md", e.stem)),
            &s,
        );
    }
    for b in briefs {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: {}", yq(&b.title));
        let _ = writeln!(s, "subtitle: {}", yq(&b.subtitle));
        let _ = writeln!(s, "date: {}", b.date.iso());
        let _ = writeln!(s, "authors: {}", yaml_list(&b.authors));
        let _ = writeln!(s, "summary: {}", yq(&b.summary));
        let slugs: Vec<&str> = b.actors.iter().map(|&i| actors[i].slug.as_str()).collect();
        let _ = writeln!(s, "actors: {}", yaml_list(&slugs));
        let stems: Vec<&str> = b.events.iter().map(|&i| events[i].stem.as_str()).collect();
        let _ = writeln!(s, "events: {}", yaml_list(&stems));
        let _ = writeln!(s, "topics: {}", yaml_list(&b.topics));
        let _ = writeln!(s, "regions: {}", yaml_list(&b.regions));
        s.push_str("---\n\n");
        s.push_str(&b.body);
        let path = root.join(format!("content/briefs/{}/{}.md", b.date.y, b.slug));
        write_file(&path, &s);
    }
}

const HUGO_TOML: &str = r#"baseURL = "https://example.org/"
title = "Benchmark Briefs"
languageCode = "en"
disableKinds = []

[taxonomies]
  actor = "actors"
  event = "events"
  topic = "topics"
  region = "regions"

[permalinks]
  briefs = "/briefs/:filename/"

# One Atom/RSS feed for the site, as briefly writes one feed.xml; Hugo's default
# would also write an RSS file for every section, taxonomy and term.
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
</head>
<body>
<header>
<a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>
<a href="{{ "/briefs/" | relURL }}">Briefs</a>
<a href="{{ "/actors/" | relURL }}">Actors</a>
<a href="{{ "/events/" | relURL }}">Events</a>
<a href="{{ "/topics/" | relURL }}">Topics</a>
<a href="{{ "/regions/" | relURL }}">Regions</a>
</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.subtitle }}<p class="subtitle">{{ . }}</p>{{ end }}
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.authors }} · {{ delimit . ", " }}{{ end }}</p>
{{ with .Params.summary }}<p class="summary">{{ . | markdownify }}</p>{{ end }}
{{ .Content }}
{{/* Term links from the front matter: .GetTerms walks every term of a taxonomy
     for each page (quadratic on large sites), so use the usual urlize idiom. */}}
{{ range $plural := slice "actors" "events" "topics" "regions" }}
{{ with index $.Params $plural }}
<section class="terms">
<h2>{{ $plural | humanize }}</h2>
<ul>
{{ range . }}<li><a href="{{ printf "/%s/%s/" $plural (urlize .) | relURL }}">{{ . }}</a></li>
{{ end }}</ul>
</section>
{{ end }}
{{ end }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>
{{ end }}
"#;

const HUGO_TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
"#;

const HUGO_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></li>
{{ end }}</ul>
{{ end }}
"#;

const HUGO_INDEX: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>Latest briefs</h2>
<ul>
{{ range first 20 (where site.RegularPages "Section" "briefs").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>
<p><a href="{{ "/briefs/" | relURL }}">All briefs</a></p>
{{ end }}
"#;

fn write_hugo(root: &Path, actors: &[Actor], events: &[Event], briefs: &[Brief]) {
    write_file(&root.join("hugo.toml"), HUGO_TOML);
    let layouts = root.join("layouts");
    write_file(&layouts.join("_default/baseof.html"), HUGO_BASEOF);
    write_file(&layouts.join("_default/single.html"), HUGO_SINGLE);
    write_file(&layouts.join("_default/list.html"), HUGO_LIST);
    write_file(&layouts.join("_default/taxonomy.html"), HUGO_TAXONOMY);
    write_file(&layouts.join("_default/term.html"), HUGO_TERM);
    write_file(&layouts.join("index.html"), HUGO_INDEX);
    for b in briefs {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: {}", yq(&b.title));
        let _ = writeln!(s, "subtitle: {}", yq(&b.subtitle));
        let _ = writeln!(s, "date: {}", b.date.iso());
        let _ = writeln!(s, "authors: {}", yaml_list(&b.authors));
        let _ = writeln!(s, "summary: {}", yq(&b.summary));
        let names: Vec<&str> = b.actors.iter().map(|&i| actors[i].name.as_str()).collect();
        let _ = writeln!(s, "actors: {}", yaml_list(&names));
        let stems: Vec<&str> = b.events.iter().map(|&i| events[i].stem.as_str()).collect();
        let _ = writeln!(s, "events: {}", yaml_list(&stems));
        let _ = writeln!(s, "topics: {}", yaml_list(&b.topics));
        let _ = writeln!(s, "regions: {}", yaml_list(&b.regions));
        s.push_str("---\n\n");
        s.push_str(&b.body);
        let path = root.join(format!("content/briefs/{}/{}.md", b.date.y, b.slug));
        write_file(&path, &s);
    }
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE: &str = "usage: gen-corpus --briefs N --out DIR [--seed S]";

fn usage_error(msg: &str) -> ! {
    eprintln!("gen-corpus: {msg}\n{USAGE}");
    process::exit(2);
}

fn main() {
    let mut briefs_n: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 42;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> String {
            inline
                .clone()
                .or_else(|| args.next())
                .unwrap_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match flag.as_str() {
            "--briefs" => {
                let v = value("--briefs");
                briefs_n = Some(
                    v.parse()
                        .unwrap_or_else(|_| usage_error(&format!("bad --briefs value {v:?}"))),
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out"))),
            "--seed" => {
                let v = value("--seed");
                seed = v
                    .parse()
                    .unwrap_or_else(|_| usage_error(&format!("bad --seed value {v:?}")));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => usage_error(&format!("unknown argument {other:?}")),
        }
    }
    let n = briefs_n.unwrap_or_else(|| usage_error("--briefs is required"));
    let out = out.unwrap_or_else(|| usage_error("--out is required"));
    if n == 0 {
        usage_error("--briefs must be at least 1");
    }

    let n_actors = (n / 10).max(20);
    let n_events = (n / 2).max(10);

    let mut rng = Rng::new(seed);
    let actors = gen_actors(&mut rng, n_actors);
    let events = gen_events(&mut rng, n_events, &actors);
    let briefs = gen_briefs(&mut rng, n, &actors, &events);

    let b_root = out.join("briefly");
    let h_root = out.join("hugo");
    for d in [&b_root, &h_root] {
        if d.exists() {
            if let Err(e) = fs::remove_dir_all(d) {
                die(&format!("cannot remove {}: {}", d.display(), e));
            }
        }
    }
    write_briefly(&b_root, &actors, &events, &briefs, &mut rng);
    write_hugo(&h_root, &actors, &events, &briefs);

    let body_bytes: usize = briefs.iter().map(|b| b.body.len()).sum();
    println!(
        "gen-corpus: seed {}: {} briefs (avg body {} bytes), {} actors, {} events -> {}",
        seed,
        briefs.len(),
        body_bytes / briefs.len(),
        actors.len(),
        events.len(),
        out.display()
    );
}
