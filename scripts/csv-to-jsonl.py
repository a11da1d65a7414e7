#!/usr/bin/env python3
"""Turns a French lab CSV leak made by `impact synth` into JSON Lines with nested records
(one line per CSV row: patient, lab, prescriber, exams[1]) carrying the same patients, so that
tests can check that a JSON Lines leak and its CSV twin give the same counts.

Usage: csv-to-jsonl.py IN.csv ENCODING DELIMITER OUT.jsonl
"""
import csv
import json
import sys

src, encoding, delimiter, dst = sys.argv[1:5]
with open(src, encoding=encoding, newline="") as f, open(dst, "w", encoding="utf-8", newline="\n") as out:
    for row in csv.DictReader(f, delimiter=delimiter):
        rec = {
            "laboratoire": {"nom": row["laboratoire"], "finess": row["finess_laboratoire"]},
            "prescripteur": {"nom": row["medecin_prescripteur"], "rpps": row["rpps_prescripteur"]},
            "patient": {
                "nom": row["nom"], "prenom": row["prenom"], "date_naissance": row["date_naissance"],
                "sexe": row["sexe"], "nir": row["nir"] or None, "ipp": row["ipp"],
                "adresse": {"voie": row["adresse"], "code_postal": row["code_postal"], "ville": row["ville"]},
                "contact": {"telephone": row["telephone"], "email": row["email"] or None},
            },
            "date_prelevement": row["date_prelevement"],
            "exams": [{"code": row["code_examen"], "libelle": row["libelle_examen"], "resultat": row["resultat"],
                       "unite": row["unite"], "statut": row["statut"], "commentaire": row["commentaire"] or None}],
        }
        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
