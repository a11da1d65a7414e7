/// Invented addresses and laboratories on a real-shaped French geography: departments with
/// communes and postal codes, street types and names, and laboratory name patterns.
///
/// Source of shapes: ../shared/domain/regulatory.md §6.1 (department codes 2A/2B, 97x),
/// §6.6 (FINESS: department prefix + 6 digits + Luhn).
public enum Places {
    /// A département: its code (as written in a NIR and a FINESS), a few communes with their
    /// postal codes, and themes for laboratory names.
    public struct Department: Sendable {
        public var code: String
        public var communes: [(name: String, postalCode: String)]
        public var themes: [String]
    }

    /// Departments where laboratories and most patients are. Index 0 is metropolitan; Corsica
    /// and overseas are present so that NIRs carry 2A/2B and 97x.
    public static let departments: [Department] = [
        Department(code: "29", communes: [("Brest", "29200"), ("Quimper", "29000"),
                                           ("Morlaix", "29600"), ("Landerneau", "29800"),
                                           ("Plougastel-Daoulas", "29470")],
                   themes: ["Iroise", "Cornouaille", "Léon", "Monts d'Arrée"]),
        Department(code: "35", communes: [("Rennes", "35000"), ("Saint-Malo", "35400"),
                                           ("Fougères", "35300"), ("Vitré", "35500"),
                                           ("Cesson-Sévigné", "35510")],
                   themes: ["Ille-et-Rance", "Haute-Bretagne", "Émeraude"]),
        Department(code: "44", communes: [("Nantes", "44000"), ("Saint-Nazaire", "44600"),
                                           ("Rezé", "44400"), ("Guérande", "44350"),
                                           ("Châteaubriant", "44110")],
                   themes: ["Estuaire", "Loire-Océan", "Brière"]),
        Department(code: "59", communes: [("Lille", "59000"), ("Roubaix", "59100"),
                                           ("Tourcoing", "59200"), ("Dunkerque", "59140"),
                                           ("Valenciennes", "59300"), ("Maubeuge", "59600")],
                   themes: ["Flandres", "Hainaut", "Métropole Nord", "Escaut"]),
        Department(code: "69", communes: [("Lyon", "69003"), ("Villeurbanne", "69100"),
                                           ("Vénissieux", "69200"), ("Caluire-et-Cuire", "69300"),
                                           ("Villefranche-sur-Saône", "69400")],
                   themes: ["Rhône-Saône", "Confluence", "Beaujolais", "Monts du Lyonnais"]),
        Department(code: "13", communes: [("Marseille", "13005"), ("Aix-en-Provence", "13100"),
                                           ("Arles", "13200"), ("Martigues", "13500"),
                                           ("Aubagne", "13400"), ("Salon-de-Provence", "13300")],
                   themes: ["Provence", "Calanques", "Étang de Berre", "Sainte-Victoire"]),
        Department(code: "31", communes: [("Toulouse", "31000"), ("Colomiers", "31770"),
                                           ("Muret", "31600"), ("Blagnac", "31700"),
                                           ("Saint-Gaudens", "31800")],
                   themes: ["Garonne", "Lauragais", "Comminges", "Pays Toulousain"]),
        Department(code: "33", communes: [("Bordeaux", "33000"), ("Mérignac", "33700"),
                                           ("Pessac", "33600"), ("Libourne", "33500"),
                                           ("Arcachon", "33120")],
                   themes: ["Gironde", "Médoc", "Entre-Deux-Mers", "Bassin"]),
        Department(code: "67", communes: [("Strasbourg", "67000"), ("Haguenau", "67500"),
                                           ("Schiltigheim", "67300"), ("Sélestat", "67600"),
                                           ("Saverne", "67700")],
                   themes: ["Alsace", "Rhin", "Vosges du Nord", "Kochersberg"]),
        Department(code: "75", communes: [("Paris", "75011"), ("Paris", "75015"),
                                           ("Paris", "75018"), ("Paris", "75020"),
                                           ("Paris", "75013")],
                   themes: ["Paris Est", "Montparnasse", "Nation", "Batignolles"]),
        Department(code: "93", communes: [("Saint-Denis", "93200"), ("Montreuil", "93100"),
                                           ("Aubervilliers", "93300"), ("Bobigny", "93000"),
                                           ("Noisy-le-Grand", "93160")],
                   themes: ["Plaine Commune", "Est Parisien", "Canal de l'Ourcq"]),
        Department(code: "21", communes: [("Dijon", "21000"), ("Beaune", "21200"),
                                           ("Chenôve", "21300"), ("Montbard", "21500"),
                                           ("Auxonne", "21130")],
                   themes: ["Côte-d'Or", "Bourgogne", "Auxois"]),
        Department(code: "63", communes: [("Clermont-Ferrand", "63000"), ("Riom", "63200"),
                                           ("Issoire", "63500"), ("Thiers", "63300"),
                                           ("Cournon-d'Auvergne", "63800")],
                   themes: ["Auvergne", "Volcans", "Livradois", "Limagne"]),
        Department(code: "34", communes: [("Montpellier", "34000"), ("Béziers", "34500"),
                                           ("Sète", "34200"), ("Lunel", "34400"),
                                           ("Agde", "34300")],
                   themes: ["Hérault", "Garrigues", "Lez", "Littoral Languedoc"]),
        Department(code: "2A", communes: [("Ajaccio", "20000"), ("Porto-Vecchio", "20137"),
                                           ("Propriano", "20110"), ("Sartène", "20100")],
                   themes: ["Corse-du-Sud", "Golfe d'Ajaccio"]),
        Department(code: "2B", communes: [("Bastia", "20200"), ("Corte", "20250"),
                                           ("Calvi", "20260"), ("L'Île-Rousse", "20220")],
                   themes: ["Haute-Corse", "Cap Corse"]),
        Department(code: "974", communes: [("Saint-Denis", "97400"), ("Saint-Pierre", "97410"),
                                            ("Le Tampon", "97430"), ("Saint-Paul", "97460")],
                   themes: ["Réunion", "Océan Indien"]),
        Department(code: "971", communes: [("Pointe-à-Pitre", "97110"), ("Les Abymes", "97139"),
                                            ("Baie-Mahault", "97122"), ("Le Gosier", "97190")],
                   themes: ["Guadeloupe", "Caraïbes"]),
    ]

    /// Birth places abroad: INSEE country codes written after department 99 in a NIR.
    public static let countryCodes: [String] = [
        "350", "352", "351", "109", "127", "134", "139", "131", "341", "335", "243", "328",
    ]

    /// Street types, most frequent first.
    public static let streetTypes: [String] = [
        "rue", "avenue", "boulevard", "chemin", "impasse", "allée", "place", "route", "quai",
        "résidence", "cours",
    ]

    /// Street names (invented or commonplace).
    public static let streetNames: [String] = [
        "de la Gare", "des Lilas", "Victor Hugo", "du Général Leclerc", "Jean Jaurès",
        "des Écoles", "Pasteur", "de l'Église", "du Moulin", "des Tilleuls", "de la République",
        "du Château", "des Acacias", "de Verdun", "Gambetta", "du Stade", "des Peupliers",
        "de la Fontaine", "Émile Zola", "des Jardins", "du Port", "des Prés", "Saint-Exupéry",
        "de la Mairie", "des Vignes", "du Marché", "Anatole France", "des Cerisiers",
        "de Bretagne", "Louise Michel", "du 8 Mai 1945", "des Mésanges", "de la Forêt",
        "Pierre et Marie Curie", "des Chênes", "du Lavoir", "de la Côte", "des Roses",
        "Jules Ferry", "de l'Océan", "du Bois Joli", "des Hirondelles", "Simone Veil",
        "de la Croix Blanche", "des Œillets", "du Vieux Pont",
    ]

    /// Laboratory name patterns: `%` is replaced by a department theme.
    public static let labPatterns: [String] = [
        "Laboratoire %", "LBM %", "Biolab %", "Centre de Biologie Médicale %",
        "% Biologie", "Bio %", "Laboratoire d'Analyses Médicales %", "Laboratoire Médical %",
        "% Analyses", "Biomédical %",
    ]

    /// Laboratory names without a place, which several regions use (so a name may repeat
    /// while the FINESS differs).
    public static let genericLabNames: [String] = [
        "Laboratoire de la Gare", "Laboratoire du Centre", "Laboratoire des Halles",
        "Laboratoire Pasteur", "Laboratoire de l'Hôtel de Ville",
    ]

    /// E-mail domains, most frequent first.
    public static let emailDomains: [String] = [
        "orange.fr", "gmail.com", "free.fr", "wanadoo.fr", "laposte.net", "hotmail.fr",
        "yahoo.fr", "sfr.fr", "outlook.fr", "bbox.fr", "icloud.com", "neuf.fr",
    ]
}
