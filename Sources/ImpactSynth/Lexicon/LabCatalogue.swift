/// What a record of a medical-lab export reveals about its patient, beyond identity.
///
/// `health` is revealed by every lab exam (GDPR Recital 35: results of tests on bodily
/// samples); the three others are the sub-kinds the ground truth counts separately
/// (../shared/samples/*.truth.json `subjects_by_category`).
public struct Reveals: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let health = Reveals(rawValue: 1)
    public static let pregnancy = Reveals(rawValue: 2)
    public static let genetic = Reveals(rawValue: 4)
    public static let drugTreatment = Reveals(rawValue: 8)
}

/// Who may receive an exam or a comment (so that no man is pregnant and no child has a PSA).
public enum Eligibility: Sendable {
    case anyone
    /// Women aged 16–45 on the day of the exam.
    case childbearingWoman
    /// Men aged 40 or more on the day of the exam.
    case manOver40

    func admits(female: Bool, age: Int) -> Bool {
        switch self {
        case .anyone: return true
        case .childbearingWoman: return female && (16...45).contains(age)
        case .manOver40: return !female && age >= 40
        }
    }
}

/// How an exam's result is written.
public enum ResultKind: Sendable {
    /// A decimal number: an integer drawn in `low...high`, shown with `decimals` digits after
    /// the separator (`,` in French exports, `.` otherwise).
    case number(low: Int, high: Int, decimals: Int)
    /// One of parallel French/English texts.
    case text(french: [String], english: [String])
    /// 46,XX or 46,XY according to the patient's sex.
    case karyotype
}

/// One exam of the catalogue.
public struct LabExam: Sendable {
    public var code: String
    public var french: String
    public var english: String
    public var unit: String
    public var result: ResultKind
    public var reveals: Reveals
    public var eligibility: Eligibility
    /// Weight among routine exams (0: only drawn for a patient's condition).
    public var routineWeight: Int
}

/// A free-text comment. `{n}` is replaced by an integer of `range`; `\n` makes it multi-line.
public struct CommentTemplate: Sendable {
    public enum Language: Sendable { case french, english }
    public var text: String
    public var range: ClosedRange<Int>?
    public var reveals: Reveals
    public var language: Language
    public var eligibility: Eligibility

    public init(_ text: String, _ reveals: Reveals = [], range: ClosedRange<Int>? = nil,
                language: Language = .french, eligibility: Eligibility = .anyone) {
        self.text = text; self.reveals = reveals; self.range = range
        self.language = language; self.eligibility = eligibility
    }

    public var isMultiline: Bool { text.contains("\n") }
}

/// A patient's condition that shows in some of their records: a pregnancy, a genetic work-up
/// or a drug treatment, with the exams (by code) and comments that reveal it.
public struct Condition: Sendable {
    public var name: String
    public var eligibility: Eligibility
    /// Codes of the exams drawn for this condition (they may be routine exams, e.g. a TSH for a
    /// patient on levothyroxine: the comment then carries the revelation).
    public var examCodes: [String]
    public var comments: [CommentTemplate]
}

/// The exam catalogue, comments and conditions of the synthetic lab exports.
///
/// The tags (`reveals`) are the generator's knowledge: the ground truth's pregnancy, genetic
/// and drug_treatment counts are the subjects with at least one record whose exam or comment
/// carries the tag (semantics of ../shared/samples/*.truth.json). Items whose meaning is
/// ambiguous in practice (prothrombin time, rubella serology alone, "fausses couches") are
/// deliberately left out so that the truth stays unarguable.
public enum LabCatalogue {
    public static let exams: [LabExam] = [
        // Routine biology: health only.
        LabExam(code: "1001", french: "Hémoglobine", english: "Haemoglobin", unit: "g/dL",
                result: .number(low: 80, high: 175, decimals: 1), reveals: .health,
                eligibility: .anyone, routineWeight: 60),
        LabExam(code: "1002", french: "Leucocytes", english: "White cell count", unit: "G/L",
                result: .number(low: 30, high: 180, decimals: 1), reveals: .health,
                eligibility: .anyone, routineWeight: 40),
        LabExam(code: "1003", french: "Numération des plaquettes", english: "Platelet count",
                unit: "G/L", result: .number(low: 90, high: 450, decimals: 0), reveals: .health,
                eligibility: .anyone, routineWeight: 35),
        LabExam(code: "1010", french: "Glycémie à jeun", english: "Fasting glucose",
                unit: "mmol/L", result: .number(low: 380, high: 1200, decimals: 2),
                reveals: .health, eligibility: .anyone, routineWeight: 55),
        LabExam(code: "1011", french: "Créatininémie", english: "Serum creatinine",
                unit: "µmol/L", result: .number(low: 45, high: 180, decimals: 0),
                reveals: .health, eligibility: .anyone, routineWeight: 50),
        LabExam(code: "1012", french: "Urée sanguine", english: "Blood urea", unit: "mmol/L",
                result: .number(low: 25, high: 120, decimals: 1), reveals: .health,
                eligibility: .anyone, routineWeight: 20),
        LabExam(code: "1013", french: "Natrémie", english: "Serum sodium", unit: "mmol/L",
                result: .number(low: 130, high: 148, decimals: 0), reveals: .health,
                eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1014", french: "Kaliémie", english: "Serum potassium", unit: "mmol/L",
                result: .number(low: 30, high: 60, decimals: 1), reveals: .health,
                eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1020", french: "Cholestérol total", english: "Total cholesterol",
                unit: "g/L", result: .number(low: 120, high: 320, decimals: 2),
                reveals: .health, eligibility: .anyone, routineWeight: 35),
        LabExam(code: "1021", french: "Triglycérides", english: "Triglycerides", unit: "g/L",
                result: .number(low: 40, high: 350, decimals: 2), reveals: .health,
                eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1030", french: "TSH", english: "TSH", unit: "mUI/L",
                result: .number(low: 10, high: 800, decimals: 2), reveals: .health,
                eligibility: .anyone, routineWeight: 40),
        LabExam(code: "1031", french: "Protéine C réactive", english: "C-reactive protein",
                unit: "mg/L", result: .number(low: 5, high: 1800, decimals: 1),
                reveals: .health, eligibility: .anyone, routineWeight: 35),
        LabExam(code: "1040", french: "25-OH vitamine D", english: "25-OH vitamin D",
                unit: "ng/mL", result: .number(low: 50, high: 700, decimals: 1),
                reveals: .health, eligibility: .anyone, routineWeight: 30),
        LabExam(code: "1041", french: "Hémoglobine glyquée (HbA1c)",
                english: "Glycated haemoglobin (HbA1c)", unit: "%",
                result: .number(low: 45, high: 110, decimals: 1), reveals: .health,
                eligibility: .anyone, routineWeight: 30),
        LabExam(code: "1050", french: "Transaminases ALAT", english: "Alanine aminotransferase",
                unit: "UI/L", result: .number(low: 8, high: 150, decimals: 0),
                reveals: .health, eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1051", french: "Transaminases ASAT",
                english: "Aspartate aminotransferase", unit: "UI/L",
                result: .number(low: 8, high: 150, decimals: 0), reveals: .health,
                eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1052", french: "Gamma-GT", english: "Gamma-GT", unit: "UI/L",
                result: .number(low: 10, high: 250, decimals: 0), reveals: .health,
                eligibility: .anyone, routineWeight: 20),
        LabExam(code: "1060", french: "Ferritinémie", english: "Serum ferritin", unit: "µg/L",
                result: .number(low: 10, high: 800, decimals: 0), reveals: .health,
                eligibility: .anyone, routineWeight: 25),
        LabExam(code: "1070", french: "Examen cytobactériologique des urines",
                english: "Urine culture", unit: "",
                result: .text(french: ["Culture stérile", "Leucocyturie sans germe",
                                       "Escherichia coli 10^5 UFC/mL",
                                       "Flore polymorphe, à contrôler"],
                              english: ["Sterile culture", "Pyuria without growth",
                                        "Escherichia coli 10^5 CFU/mL",
                                        "Mixed flora, repeat"]),
                reveals: .health, eligibility: .anyone, routineWeight: 20),
        LabExam(code: "1080", french: "PSA total", english: "Total PSA", unit: "ng/mL",
                result: .number(low: 2, high: 150, decimals: 1), reveals: .health,
                eligibility: .manOver40, routineWeight: 12),
        LabExam(code: "1090", french: "Sérologie VIH 1 et 2", english: "HIV 1/2 serology",
                unit: "",
                result: .text(french: ["Négatif", "Négatif", "Positif, à confirmer"],
                              english: ["Negative", "Negative", "Positive, to be confirmed"]),
                reveals: .health, eligibility: .anyone, routineWeight: 4),
        LabExam(code: "1091", french: "Charge virale VIH-1", english: "HIV-1 viral load",
                unit: "copies/mL", result: .number(low: 20, high: 5000, decimals: 0),
                reveals: .health, eligibility: .anyone, routineWeight: 0),
        LabExam(code: "1092", french: "Sérologie hépatite C", english: "Hepatitis C serology",
                unit: "",
                result: .text(french: ["Négatif", "Positif"], english: ["Negative", "Positive"]),
                reveals: .health, eligibility: .anyone, routineWeight: 5),
        LabExam(code: "1093", french: "PCR Chlamydia trachomatis",
                english: "Chlamydia trachomatis PCR", unit: "",
                result: .text(french: ["Non détecté", "Détecté"],
                              english: ["Not detected", "Detected"]),
                reveals: .health, eligibility: .anyone, routineWeight: 4),
        LabExam(code: "1100", french: "Bilirubine totale", english: "Total bilirubin",
                unit: "µmol/L", result: .number(low: 3, high: 60, decimals: 0),
                reveals: .health, eligibility: .anyone, routineWeight: 10),
        // Pregnancy.
        LabExam(code: "2001", french: "Bêta-hCG plasmatique (test de grossesse)",
                english: "Serum beta-hCG (pregnancy test)", unit: "UI/L",
                result: .number(low: 5, high: 150_000, decimals: 0),
                reveals: [.health, .pregnancy], eligibility: .childbearingWoman,
                routineWeight: 0),
        LabExam(code: "2002", french: "Sérologie toxoplasmose (suivi de grossesse)",
                english: "Toxoplasmosis serology (pregnancy follow-up)", unit: "",
                result: .text(french: ["IgG négatives, IgM négatives",
                                       "IgG positives, immunité ancienne"],
                              english: ["IgG negative, IgM negative",
                                        "IgG positive, past immunity"]),
                reveals: [.health, .pregnancy], eligibility: .childbearingWoman,
                routineWeight: 0),
        LabExam(code: "2003", french: "Groupe sanguin et RAI (bilan prénatal)",
                english: "Blood group and antibody screen (antenatal)", unit: "",
                result: .text(french: ["A Rh+, RAI négative", "O Rh-, RAI négative",
                                       "B Rh+, RAI négative", "O Rh+, RAI négative"],
                              english: ["A Rh+, antibody screen negative",
                                        "O Rh-, antibody screen negative",
                                        "B Rh+, antibody screen negative",
                                        "O Rh+, antibody screen negative"]),
                reveals: [.health, .pregnancy], eligibility: .childbearingWoman,
                routineWeight: 0),
        LabExam(code: "2004", french: "HGPO 75 g (diabète gestationnel)",
                english: "75 g OGTT (gestational diabetes)", unit: "mmol/L",
                result: .number(low: 400, high: 1100, decimals: 2),
                reveals: [.health, .pregnancy], eligibility: .childbearingWoman,
                routineWeight: 0),
        LabExam(code: "2005", french: "DPNI trisomie 21 (ADN fœtal libre circulant)",
                english: "Cell-free fetal DNA screening for trisomy 21", unit: "",
                result: .text(french: ["Risque faible", "Risque élevé, à confirmer"],
                              english: ["Low risk", "High risk, to be confirmed"]),
                reveals: [.health, .pregnancy, .genetic], eligibility: .childbearingWoman,
                routineWeight: 0),
        // Genetics (constitutional and somatic: GDPR Art. 4(13) "inherited or acquired").
        LabExam(code: "3001", french: "Caryotype constitutionnel",
                english: "Constitutional karyotype", unit: "", result: .karyotype,
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "3002", french: "Recherche de mutations BRCA1/BRCA2",
                english: "BRCA1/BRCA2 mutation analysis", unit: "",
                result: .text(french: ["Absence de variant pathogène",
                                       "Variant pathogène BRCA1 hétérozygote",
                                       "Variant de signification inconnue BRCA2"],
                              english: ["No pathogenic variant",
                                        "Heterozygous pathogenic BRCA1 variant",
                                        "BRCA2 variant of unknown significance"]),
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "3003", french: "Génotypage HFE (hémochromatose)",
                english: "HFE genotyping (haemochromatosis)", unit: "",
                result: .text(french: ["C282Y homozygote", "C282Y/H63D hétérozygote composite",
                                       "Absence de mutation C282Y"],
                              english: ["C282Y homozygous", "C282Y/H63D compound heterozygous",
                                        "No C282Y mutation"]),
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "3004", french: "Génotypage CFTR (mucoviscidose)",
                english: "CFTR genotyping (cystic fibrosis)", unit: "",
                result: .text(french: ["F508del hétérozygote", "Absence des mutations recherchées"],
                              english: ["F508del heterozygous", "None of the tested mutations"]),
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "3005", french: "Typage HLA-B27", english: "HLA-B27 typing", unit: "",
                result: .text(french: ["Positif", "Négatif"], english: ["Positive", "Negative"]),
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "3006", french: "Mutation JAK2 V617F", english: "JAK2 V617F mutation",
                unit: "",
                result: .text(french: ["Détectée", "Non détectée"],
                              english: ["Detected", "Not detected"]),
                reveals: [.health, .genetic], eligibility: .anyone, routineWeight: 0),
        // Therapeutic drug monitoring: the label reveals the treatment.
        LabExam(code: "4001", french: "INR (surveillance traitement AVK)",
                english: "INR (warfarin monitoring)", unit: "",
                result: .number(low: 100, high: 450, decimals: 2),
                reveals: [.health, .drugTreatment], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "4002", french: "Lithémie (patient sous lithium)",
                english: "Serum lithium (lithium therapy)", unit: "mmol/L",
                result: .number(low: 30, high: 140, decimals: 2),
                reveals: [.health, .drugTreatment], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "4003", french: "Digoxinémie", english: "Digoxin level", unit: "ng/mL",
                result: .number(low: 40, high: 250, decimals: 2),
                reveals: [.health, .drugTreatment], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "4004", french: "Tacrolimus, taux résiduel",
                english: "Tacrolimus trough level", unit: "ng/mL",
                result: .number(low: 30, high: 150, decimals: 1),
                reveals: [.health, .drugTreatment], eligibility: .anyone, routineWeight: 0),
        LabExam(code: "4005", french: "Activité anti-Xa (HBPM)",
                english: "Anti-Xa activity (LMWH)", unit: "UI/mL",
                result: .number(low: 10, high: 120, decimals: 2),
                reveals: [.health, .drugTreatment], eligibility: .anyone, routineWeight: 0),
    ]

    /// Comments without a health meaning: sample quality, logistics.
    public static let neutralComments: [CommentTemplate] = [
        CommentTemplate("Prélèvement hémolysé"),
        CommentTemplate("Tube coagulé, nouveau prélèvement effectué"),
        CommentTemplate("Patient à jeun"),
        CommentTemplate("Non à jeun"),
        CommentTemplate("Échantillon reçu hors délai"),
        CommentTemplate("Quantité insuffisante ; à reprélever"),
        CommentTemplate("Résultat vérifié sur un second tube"),
        CommentTemplate("Prélèvement à domicile"),
        CommentTemplate("Étiquetage corrigé à réception"),
        CommentTemplate("Avis : \"à recontrôler\""),
        CommentTemplate("Résultat communiqué par téléphone au prescripteur"),
        CommentTemplate("Prélevé à {n}h15", range: 7...11),
        CommentTemplate("Double des résultats adressé au patient"),
        CommentTemplate("Prélèvement reçu à 18h40\nCentrifugation tardive, résultat sous réserve"),
        CommentTemplate("Avis : \"à recontrôler\"\nSigné : biologiste de garde"),
        CommentTemplate("Haemolysed sample", language: .english),
        CommentTemplate("Sample received late", language: .english),
        CommentTemplate("Patient fasting", language: .english),
        CommentTemplate("Result phoned to the requesting doctor", language: .english),
    ]

    /// Comments with a health meaning only.
    public static let healthComments: [CommentTemplate] = [
        CommentTemplate("Fièvre depuis {n} jours", .health, range: 2...15),
        CommentTemplate("Bilan pré-opératoire", .health),
        CommentTemplate("Douleurs abdominales", .health),
        CommentTemplate("Asthénie depuis {n} semaines", .health, range: 2...10),
        CommentTemplate("Diabète de type 2 connu", .health),
        CommentTemplate("Insuffisance rénale chronique, suivi", .health),
        CommentTemplate("Contrôle après infection urinaire", .health),
        CommentTemplate("Suspicion d’anémie", .health),
        CommentTemplate("Dépistage IST à la demande du patient", .health),
        CommentTemplate("Hypertension artérielle suivie", .health),
        CommentTemplate("Bilan de fatigue\nà compléter selon résultats", .health),
        CommentTemplate("Fever for {n} days", .health, range: 2...12, language: .english),
        CommentTemplate("Pre-operative work-up", .health, language: .english),
        CommentTemplate("Known type 2 diabetes", .health, language: .english),
    ]

    /// Conditions a patient may have, with what reveals them.
    public static let conditions: [Condition] = [
        Condition(name: "pregnancy", eligibility: .childbearingWoman,
                  examCodes: ["2001", "2002", "2003", "2004", "2005"],
                  comments: [
                    CommentTemplate("Grossesse {n} SA", [.health, .pregnancy], range: 6...39),
                    CommentTemplate("Patiente enceinte de {n} semaines", [.health, .pregnancy],
                                    range: 5...36),
                    CommentTemplate("Suivi de grossesse, 2e trimestre", [.health, .pregnancy]),
                    CommentTemplate("Grossesse gémellaire {n} SA", [.health, .pregnancy],
                                    range: 12...36),
                    CommentTemplate("Grossesse {n} SA, sous Lévothyrox",
                                    [.health, .pregnancy, .drugTreatment], range: 8...36),
                    CommentTemplate("Grossesse {n} SA, DPNI trisomie 21 prescrit",
                                    [.health, .pregnancy, .genetic], range: 10...16),
                    CommentTemplate("Grossesse {n} SA\nbilan prénatal du 2e trimestre",
                                    [.health, .pregnancy], range: 14...27),
                    CommentTemplate("Pregnant, {n} weeks", [.health, .pregnancy], range: 6...38,
                                    language: .english),
                  ]),
        Condition(name: "genetic", eligibility: .anyone,
                  examCodes: ["3001", "3002", "3003", "3004", "3005", "3006"],
                  comments: [
                    CommentTemplate("Conseil génétique en cours", [.health, .genetic]),
                    CommentTemplate("Mère porteuse d’une mutation BRCA1", [.health, .genetic]),
                    CommentTemplate("Enquête familiale : syndrome de Lynch", [.health, .genetic]),
                    CommentTemplate("Hémochromatose génétique connue (C282Y homozygote)",
                                    [.health, .genetic]),
                    CommentTemplate("Porteur sain CFTR F508del", [.health, .genetic]),
                    CommentTemplate("Consultation d'oncogénétique\nrecherche BRCA1/BRCA2 prescrite",
                                    [.health, .genetic]),
                    CommentTemplate("Genetic counselling in progress", [.health, .genetic],
                                    language: .english),
                  ]),
        Condition(name: "anticoagulant", eligibility: .anyone, examCodes: ["4001"],
                  comments: [
                    CommentTemplate("Sous AVK (Coumadine), INR cible 2-3",
                                    [.health, .drugTreatment]),
                    CommentTemplate("Patient sous fluindione", [.health, .drugTreatment]),
                    CommentTemplate("Traitement anticoagulant par warfarine\nINR cible entre 2 et 3",
                                    [.health, .drugTreatment]),
                    CommentTemplate("On warfarin, target INR 2-3", [.health, .drugTreatment],
                                    language: .english),
                  ]),
        Condition(name: "lithium", eligibility: .anyone, examCodes: ["4002"],
                  comments: [
                    CommentTemplate("Sous lithium depuis {n} ans", [.health, .drugTreatment],
                                    range: 1...20),
                  ]),
        Condition(name: "digoxin", eligibility: .anyone, examCodes: ["4003"],
                  comments: [
                    CommentTemplate("Traitement par digoxine 0,25 mg", [.health, .drugTreatment]),
                  ]),
        Condition(name: "tacrolimus", eligibility: .anyone, examCodes: ["4004"],
                  comments: [
                    CommentTemplate("Traitement immunosuppresseur par tacrolimus",
                                    [.health, .drugTreatment]),
                  ]),
        Condition(name: "heparin", eligibility: .anyone, examCodes: ["4005"],
                  comments: [
                    CommentTemplate("Sous Lovenox 4000 UI/j", [.health, .drugTreatment]),
                  ]),
        Condition(name: "levothyroxine", eligibility: .anyone, examCodes: ["1030"],
                  comments: [
                    CommentTemplate("Traitement par Lévothyrox {n} µg", [.health, .drugTreatment],
                                    range: 25...150),
                    CommentTemplate("Taking levothyroxine {n} mcg", [.health, .drugTreatment],
                                    range: 25...150, language: .english),
                  ]),
        Condition(name: "metformin", eligibility: .anyone, examCodes: ["1041", "1010"],
                  comments: [
                    CommentTemplate("Sous metformine 1000 mg x2", [.health, .drugTreatment]),
                  ]),
        Condition(name: "chemotherapy", eligibility: .anyone, examCodes: ["1001", "1003"],
                  comments: [
                    CommentTemplate("Sous chimiothérapie, cure n°{n}", [.health, .drugTreatment],
                                    range: 1...8),
                  ]),
        Condition(name: "antiretroviral", eligibility: .anyone, examCodes: ["1091"],
                  comments: [
                    CommentTemplate("Patient sous trithérapie antirétrovirale",
                                    [.health, .drugTreatment]),
                  ]),
        Condition(name: "antiplatelet", eligibility: .anyone, examCodes: ["1003"],
                  comments: [
                    CommentTemplate("Traitement par Kardégic 75 mg", [.health, .drugTreatment]),
                  ]),
    ]

    /// Validation statuses (French, English), most frequent first.
    public static let statuses: [(french: String, english: String)] = [
        ("Validé", "Validated"), ("Validé biologiquement", "Biologically validated"),
        ("En cours", "Pending"), ("Transmis", "Sent"), ("Corrigé", "Amended"),
    ]
}
