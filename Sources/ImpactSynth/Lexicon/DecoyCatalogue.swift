/// The vocabulary of the decoy shape: a warehouse delivery export that looks like personal
/// data to a careless detector (a `nom` column, 15-digit codes shaped like NIRs, dates) but
/// holds none.
public enum DecoyCatalogue {
    /// Product names (the `nom` column) with their family (index in ``families``).
    public static let products: [(name: String, family: Int)] = [
        ("Vis inox 4x40", 0), ("Ramette papier A4 80 g", 1), ("Câble HDMI 2 m", 3),
        ("Café moulu 1 kg", 7), ("Gants de manutention taille 9", 8),
        ("Ruban adhésif marron 50 mm", 2), ("Carton double cannelure", 2),
        ("Palette bois 80x120", 2), ("Film étirable 500 mm", 2), ("Lampe LED E27 9 W", 6),
        ("Tournevis cruciforme PH2", 4), ("Agrafes 26/6 (boîte de 5000)", 1),
        ("Classeur levier dos 80 mm", 1), ("Savon liquide 5 L", 5), ("Sacs poubelle 100 L", 5),
        ("Chariot de manutention 250 kg", 4), ("Étiquettes thermiques 100x150", 2),
        ("Cartouche d'encre noire", 3), ("Disque à tronçonner 125 mm", 4),
        ("Perceuse visseuse 18 V", 4), ("Chaise de bureau ergonomique", 9),
        ("Bouilloire inox 1,7 L", 6), ("Rallonge électrique 10 m", 6),
        ("Cadenas laiton 40 mm", 0), ("Thé vert bio (20 sachets)", 7), ("Eau minérale 6x1,5 L", 7),
        ("Casque antibruit", 8), ("Chaussures de sécurité S3 pointure 42", 8),
        ("Boîte d'archives carton", 1), ("Marqueur permanent noir", 1),
        ("Gobelets carton 20 cl", 7), ("Nettoyant vitres 750 mL", 5),
        ("Clé à molette 250 mm", 4), ("Écran 24 pouces", 3), ("Souris sans fil", 3),
        ("Clavier AZERTY USB", 3), ("Batterie 12 V 7 Ah", 6), ("Crochet d'arrimage", 0),
        ("Sangle à cliquet 5 m", 0), ("Balai-brosse", 5), ("Serpillière microfibre", 5),
        ("Extincteur 6 kg", 8), ("Bureau droit 160 cm", 9), ("Armoire métallique 2 portes", 9),
    ]

    /// Product families.
    public static let families: [String] = [
        "Quincaillerie", "Fournitures de bureau", "Emballage", "Informatique", "Outillage",
        "Hygiène", "Électricité", "Épicerie", "Sécurité", "Mobilier",
    ]

    /// Suppliers (company names, not people).
    public static let suppliers: [String] = [
        "Nord Emballages SAS", "Distrib'Ouest", "Bureau Plus SARL", "Outils & Co",
        "ÉlecPro Distribution", "Sécuritas Équipements", "Cafés du Port SA", "Logistique Alpine",
        "Hygiène Services Sud", "Informatique Atlantique",
    ]

    /// Warehouse codes.
    public static let warehouses: [String] = [
        "ENT-NORD-01", "ENT-NORD-02", "ENT-IDF-03", "ENT-SUD-04", "ENT-OUEST-05", "ENT-EST-06",
    ]

    /// Delivery remarks.
    public static let remarks: [String] = [
        "Livraison partielle", "Palette endommagée", "Reliquat à livrer", "Livré sur quai 3",
        "Colis ouvert à réception ; contrôle effectué", "Retour fournisseur",
        "Commande urgente", "Bon de livraison manquant",
        "Livraison reportée\nnouvelle date à confirmer",
    ]
}
