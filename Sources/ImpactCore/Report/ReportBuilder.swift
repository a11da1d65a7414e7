@_exported import ImpactReporting
import ImpactIngest
import ImpactDetect

/// Turns the state of a finished analysis into an ``ImpactReport``.
enum ReportBuilder {
    static let toolVersion = "impact 0.1.0"

    static func build(processor p: RecordProcessor, inputs: [ImpactReport.Input],
                      warnings: [ImpactReport.WarningSummary], rejections: [ImpactReport.Rejection],
                      failures: [IngestError]) -> ImpactReport {
        let tally = p.linker.tally(controllers: p.controllers.count)
        var fields: [ImpactReport.Field] = []
        var present = CategorySet()
        var controllerFields: [String] = []
        for g in 0..<p.fields.names.count {
            let plan = p.fields.plans[g] ?? FieldPlan(role: nil, categories: [], scansLexicon: false, confidence: 0, evidence: [], decidedFromContent: false)
            let e = p.fileEvidence(g)
            var cats = plan.categories
            var lexCats = CategorySet()
            for c in DataCategory.allCases where e.lexiconCells[c.index] > 0 { lexCats.insert(CategorySet(c)) }
            cats.formUnion(lexCats.closed)
            if plan.role == .nir && e.nirValid + e.nirKeyAbsent == 0 && e.values > 0 { cats.remove(CategorySet(.nationalID)) }
            var evidence = plan.evidence
            evidence.append("file: \(e.values) non-empty values")
            if plan.role == .nir {
                evidence.append("file: \(e.nirValid) pass the NIR key (\(e.nirTemporary) temporary NIA), \(e.nirKeyAbsent) without key, \(e.nirInvalidKey) with a wrong key")
            }
            if e.lexiconAny > 0 {
                let top = e.termCells.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(8)
                let terms = top.map { t -> String in
                    let term = p.inspector.lexicon.term(t.key)
                    return "\"\(term.text)\" (\(term.categories.categories.map(\.rawValue).joined(separator: "+"))) in \(t.value)"
                }
                evidence.append("lexicon: \(e.lexiconAny) values with special-category terms: " + terms.joined(separator: ", "))
            }
            var confidence = plan.confidence
            if plan.role == nil && e.lexiconAny > 0 { confidence = min(0.9, 0.5 + 0.4 * min(1, Double(e.lexiconAny) / 20)) }
            if plan.role == .controllerID || plan.role == .controllerName || (plan.role != nil && p.controllerColumn == p.fields.names[g]) {
                if p.fields.kinds[g] == .controllerID || p.fields.kinds[g] == .controllerName { controllerFields.append(p.fields.names[g]) }
            }
            present.formUnion(cats)
            fields.append(.init(name: p.fields.names[g], role: plan.role?.rawValue,
                                categories: cats.categories.map(\.rawValue), confidence: confidence,
                                evidence: evidence,
                                invalidValues: e.nirInvalidKey + e.rppsInvalidKey + e.finessInvalidKey + e.ibanInvalidKey,
                                values: e.values, maskedExamples: p.maskedExamples(g)))
        }
        present.remove(CategorySet(.controller))
        let shown = present.categories
        func byCategory(_ row: [Int]) -> [String: Int] {
            var d: [String: Int] = [:]
            for c in shown { d[c.rawValue] = row[c.index] }
            return d
        }
        var controllers: [ImpactReport.Controller] = []
        for (i, entry) in p.controllers.entries.enumerated() {
            controllers.append(.init(id: entry.id, name: entry.name, records: entry.records,
                                     subjects: tally.subjects[i], healthProfessionals: tally.healthProfessionals[i],
                                     subjectsByCategory: byCategory(tally.byCategory[i])))
        }
        controllers.sort { $0.subjects != $1.subjects ? $0.subjects > $1.subjects : $0.id < $1.id }
        var basis: [String: Int] = [:]
        for k in SubjectKeyKind.allCases { basis[k.reportName] = p.linker.basisCounts[k] ?? 0 }
        basis["record_only"] = p.linker.recordOnly
        let rejected = inputs.reduce(0) { $0 + $1.rejectedRecords }
        let analysed = inputs.reduce(0) { $0 + $1.analysedRecords }
        var report = ImpactReport(
            tool: toolVersion, complete: failures.isEmpty, incompleteReasons: failures.map(\.description),
            countsAreLowerBound: !failures.isEmpty || rejected > 0,
            records: analysed + rejected, analysedRecords: analysed, rejectedRecords: rejected,
            recordsWithoutIdentifier: p.recordsWithoutIdentifier, inputs: inputs, fields: fields,
            subjects: tally.totalSubjects, subjectsAtTwoOrMoreControllers: tally.subjectsAtSeveralControllers,
            subjectsByCategory: byCategory(tally.totalByCategory), healthProfessionals: tally.totalHealthProfessionals,
            identityBasis: basis, controllerFields: controllerFields, controllers: controllers,
            warnings: warnings, rejections: rejections)
        // ENISA severity, EDPB risk and Art. 33/34 obligations per controller, from the data
        // alone (incident facts come with `impact draft --incident`).
        let assessed = report
        for i in report.controllers.indices {
            report.controllers[i].assessment = SeverityAssessor.assess(controller: assessed.controllers[i], report: assessed, incident: nil)
        }
        return report
    }
}
