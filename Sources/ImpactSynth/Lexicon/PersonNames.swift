/// Invented patients' and prescribers' names: common French family names and first names,
/// with accents, hyphens, apostrophes and particles, drawn with Zipf-like weights so that
/// homonyms occur (same first and last name, different people).
///
/// Contract (tested): no two entries of a list fold to the same ``ASCIIFold/nameKey(_:)``, and
/// every entry is encodable in Windows-1252.
public enum PersonNames {
    /// Family names, most frequent first.
    public static let family: [String] = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
        "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
        "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
        "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
        "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire",
        "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
        "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Barbier", "Brun",
        "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard",
        "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois",
        "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre",
        "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot",
        "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger",
        "Lecomte", "Ménard", "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît", "Paris",
        "Maillard", "Marchal", "Aubry", "Vasseur", "Le Floch", "Renault", "Jacquet", "Collet",
        "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons",
        "Paul", "Laine", "Carré", "Bréton", "Rémy", "Schneider", "Perrot", "Guyot",
        "Barré", "Marty", "Cousin", "Le Goff", "Dos Santos", "N'Diaye", "Lebrun",
        "Lévêque", "Hoarau", "Tessier", "Bailly", "Hervé", "Germain", "Lejeune",
        "Étienne", "Pelletier", "Besson", "Bouvier", "Langlois", "Lesage", "Gilbert", "Bouchet",
        "Chauvin", "Leblanc", "Poulain", "Mallet", "Collin", "Texier", "Hamon", "Lemaître",
        "Marie-Sainte", "Ben Ali", "Traoré", "Haddad", "Kaya", "Ferreira", "Pinto",
        "Cordier", "Gros", "Humbert", "Weber", "Klein", "Riviere-Dumas", "Delmas",
        "Millet", "Lacombe", "Chevallier", "Bouvet", "Leduc", "Raynaud", "Lefort", "Tanguy",
        "Gillet", "Cuvelier", "Pasquier", "Delaunay", "Ollivier", "D'Almeida", "Le Bihan",
        "Kerjean", "Quéré", "Le Corre", "Salaün", "Bécourt", "Dejardin", "Sauvage-Martin",
        "Grégoire", "Jourdan", "Vallée", "Maréchal", "Courtois", "Cœurdevey", "Thibault",
        "Bodin", "Hamel", "Labbé", "Pottier", "Parent", "Briand", "Lamy", "Baudry",
        "Guillou", "Lagarde", "Laporte", "Rocher", "Marion", "Bertin", "Camus", "Delattre",
    ]

    /// Female first names, most frequent first.
    public static let female: [String] = [
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine",
        "Monique", "Valérie", "Sandrine", "Stéphanie", "Céline", "Julie", "Sophie", "Aurélie",
        "Camille", "Léa", "Emma", "Chloé", "Manon", "Inès", "Sarah", "Laura", "Pauline",
        "Émilie", "Hélène", "Nicole", "Anne", "Martine", "Jacqueline", "Brigitte", "Véronique",
        "Patricia", "Corinne", "Laurence", "Caroline", "Virginie", "Élodie", "Mélanie", "Audrey",
        "Anaïs", "Zoé", "Lucie", "Clémence", "Noémie", "Océane", "Maëlys", "Louise", "Jade",
        "Alice", "Agnès", "Thérèse", "Geneviève", "Josiane", "Danielle", "Odile", "Gaëlle",
        "Marie-Claire", "Anne-Sophie", "Marie-Hélène", "Anne-Laure", "Marie-Thérèse",
        "Fatima", "Aïcha", "Yasmina", "Nadia", "Mireille", "Colette", "Denise", "Éliane",
        "Solène", "Margaux", "Juliette", "Charlotte", "Ophélie", "Bérénice", "Cécile", "Régine",
        "Ginette", "Paulette", "Yvette", "Lætitia", "Béatrice", "Delphine", "Florence", "Karine",
    ]

    /// Male first names, most frequent first.
    public static let male: [String] = [
        "Jean", "Pierre", "Michel", "André", "Philippe", "Alain", "Bernard", "Jacques",
        "Daniel", "Patrick", "Nicolas", "Christophe", "Stéphane", "Frédéric", "Laurent",
        "Julien", "Thomas", "Lucas", "Hugo", "Louis", "Gabriel", "Léo", "Raphaël", "Arthur",
        "Nathan", "Théo", "Maxime", "Antoine", "Alexandre", "Sébastien", "Olivier", "Éric",
        "Thierry", "Pascal", "Didier", "Gérard", "Claude", "Robert", "René", "Marcel",
        "Jean-Pierre", "Jean-François", "Jean-Claude", "Jean-Luc", "Pierre-Yves", "Jean-Marc",
        "Loïc", "Gaël", "Noël", "Hervé", "Joël", "Benoît", "Jérôme", "Grégoire", "Aurélien",
        "Mathéo", "Timothée", "Clément", "Baptiste", "Quentin", "Mehdi", "Karim", "Youssef",
        "Mohamed", "Rachid", "Samir", "Yannick", "Ronan", "Erwan", "Killian", "Bruno",
        "Franck", "Guy", "Roger", "Henri", "Lucien", "Émile", "Victor", "Jules", "Adrien",
        "Romain", "Florian", "Kévin", "Jordan", "Cédric", "Fabien", "Ludovic", "Xavier",
    ]
}
