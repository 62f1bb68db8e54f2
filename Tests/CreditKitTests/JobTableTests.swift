import Testing
@testable import CreditKit

/// The packed table of idempotency keys behaves like the dictionary it replaces.
@Suite struct JobTableTests {
    @Test func itStoresUpdatesAndForgetsLikeADictionary() {
        var table = JobTable()
        var reference: [String: JobRecord] = [:]
        var random = SplitMix64(seed: 11)
        for step in 0..<5_000 {
            let job = "job-\(Int.random(in: 0..<1_500, using: &random))" + (step % 7 == 0 ? "-ünï" : "")
            let record = JobRecord(chargeSeq: Int64(step + 1), action: ["ai_graphic", "print_file", "image"][step % 3],
                                   credits: Int64(step % 9), refundSeq: step % 4 == 0 ? Int64(step + 2) : nil)
            if step % 50 == 49 {
                table[job] = nil
                reference[job] = nil
            } else {
                table[job] = record
                reference[job] = record
            }
            #expect(table[job] == reference[job])
        }
        #expect(table.count == reference.count)
        for (job, record) in reference { #expect(table[job] == record, "\(job)") }
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == reference)
        #expect(table["never"] == nil)
    }

    @Test func itIteratesInTheOrderJobsWereFirstRecordedAndComparesByContent() {
        var first = JobTable()
        var second: JobTable = [:]
        let records = (0..<40).map { JobRecord(chargeSeq: Int64($0), action: "ai_graphic", credits: 6) }
        for (index, record) in records.enumerated() { first["j\(index)"] = record }
        for (index, record) in records.enumerated().reversed() { second["j\(index)"] = record }
        #expect(first.map(\.key) == (0..<40).map { "j\($0)" })
        #expect(first == second)
        second["j3"] = JobRecord(chargeSeq: 3, action: "ai_graphic", credits: 6, refundSeq: 99)
        #expect(first != second)
        #expect(second.count == 40)
    }
}
