-- LuaRocks build of bhclaim: the C core and its binding as bhclaim.core,
-- the Lua workflow layer, and the command line.
rockspec_format = "3.0"
package = "bhclaim"
version = "scm-1"
source = {
  url = "git+file:///dev/null",
}
description = {
  summary = "Check and prepare behavioral-health insurance claims (CPT 90853 and kin)",
  detailed = [[
A C core with a Lua module: the professional claim model, ICD-10-CM, CPT and
HCPCS code validation, NPI/TIN/taxonomy checks and front-end edits, with
findings that name the rule, the field and the fix.
]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1, < 5.5",
  "argparse >= 0.7",   -- the command line's parser (Debian: lua-argparse)
}
external_dependencies = {
  CJSON = {
    header = "cjson/cJSON.h",
    library = "cjson",
  },
}
build = {
  type = "builtin",
  modules = {
    ["bhclaim.core"] = {
      sources = {
            "csrc/arena.c",
            "csrc/check.c",
            "csrc/claim.c",
            "csrc/claim_json.c",
            "csrc/credential.c",
            "csrc/codes.c",
            "csrc/group.c",
            "csrc/data/icd10_tables.c",
            "csrc/data/pos_tables.c",
            "csrc/data/procedure_tables.c",
            "csrc/json.c",
            "csrc/lbhclaim.c",
            "csrc/lua/remit.c",
            "csrc/lua/credential.c",
            "csrc/lua/rules.c",
            "csrc/lua/key_set.c",
            "csrc/lua/object.c",
            "csrc/lua/eligibility.c",
            "csrc/lua/process.c",
            "csrc/lua/stream.c",
            "csrc/lua/json_write.c",
            "csrc/lua/profile.c",
            "csrc/names.c",
            "csrc/lua/claim_table.c",
            "csrc/lua/check_batch.c",
            "csrc/lua/report_line.c",
            "csrc/ncci.c",
            "csrc/payer_rules.c",
            "csrc/report.c",
            "csrc/report_write.c",
            "csrc/rule_text.c",
            "csrc/rules_catalog.c",
            "csrc/similarity.c",
            "csrc/telehealth.c",
            "csrc/values.c",
            "csrc/buffer.c",
            "csrc/error.c",
            "csrc/x12_emit.c",
            "csrc/x12_read.c",
            "csrc/x12_write.c",
            "csrc/x12_835.c",
            "csrc/x12_ack.c",
            "csrc/x12_seg.c",
            "csrc/x12_inquiry.c",
            "csrc/x12_inquiry_codes.c",
            "csrc/x12_inquiry_write.c",
            "csrc/x12_rules.c",
            "csrc/x12_text.c",
      },
      libraries = { "cjson", "m" },
      incdirs = { "csrc", "$(CJSON_INCDIR)" },
      libdirs = { "$(CJSON_LIBDIR)" },
      defines = {},
    },
    ["bhclaim"] = "lua/bhclaim/init.lua",
    ["bhclaim.report"] = "lua/bhclaim/report.lua",
    ["bhclaim.codes"] = "lua/bhclaim/codes.lua",
    ["bhclaim.cli"] = "lua/bhclaim/cli.lua",
    ["bhclaim.cli_util"] = "lua/bhclaim/cli_util.lua",
    ["bhclaim.cli_check"] = "lua/bhclaim/cli_check.lua",
    ["bhclaim.cli_jobs"] = "lua/bhclaim/cli_jobs.lua",
    ["bhclaim.cli_export"] = "lua/bhclaim/cli_export.lua",
    ["bhclaim.cli_codes"] = "lua/bhclaim/cli_codes.lua",
    ["bhclaim.cli_derive"] = "lua/bhclaim/cli_derive.lua",
    ["bhclaim.help"] = "lua/bhclaim/help.lua",
    ["bhclaim.reports"] = "lua/bhclaim/reports.lua",
    ["bhclaim.payer"] = "lua/bhclaim/payer.lua",
    ["bhclaim.rules"] = "lua/bhclaim/rules.lua",
    ["bhclaim.args"] = "lua/bhclaim/args.lua",
    ["bhclaim.batch"] = "lua/bhclaim/batch.lua",
    ["bhclaim.session"] = "lua/bhclaim/session.lua",
    ["bhclaim.telehealth"] = "lua/bhclaim/telehealth.lua",
    ["bhclaim.remit"] = "lua/bhclaim/remit.lua",
    ["bhclaim.ack"] = "lua/bhclaim/ack.lua",
    ["bhclaim.listing"] = "lua/bhclaim/listing.lua",
    ["bhclaim.adjustments"] = "lua/bhclaim/adjustments.lua",
    ["bhclaim.fees"] = "lua/bhclaim/fees.lua",
    ["bhclaim.cli_remit"] = "lua/bhclaim/cli_remit.lua",
    ["bhclaim.eligibility"] = "lua/bhclaim/eligibility.lua",
    ["bhclaim.status"] = "lua/bhclaim/status.lua",
    ["bhclaim.coverage"] = "lua/bhclaim/coverage.lua",
    ["bhclaim.cli_eligibility"] = "lua/bhclaim/cli_eligibility.lua",
    ["bhclaim.cli_ledger"] = "lua/bhclaim/cli_ledger.lua",
    ["bhclaim.ledger"] = "lua/bhclaim/ledger/init.lua",
    ["bhclaim.ledger.sql"] = "lua/bhclaim/ledger/sql.lua",
    ["bhclaim.ledger.terms"] = "lua/bhclaim/ledger/terms.lua",
    ["bhclaim.cli_serve"] = "lua/bhclaim/cli_serve.lua",
    ["bhclaim.service"] = "lua/bhclaim/service/init.lua",
    ["bhclaim.service.keys"] = "lua/bhclaim/service/keys.lua",
    ["bhclaim.service.metrics"] = "lua/bhclaim/service/metrics.lua",
    ["bhclaim.service.body"] = "lua/bhclaim/service/body.lua",
    ["bhclaim.payers.medicare"] = "lua/bhclaim/payers/medicare.lua",
    ["bhclaim.payers.medicaid"] = "lua/bhclaim/payers/medicaid.lua",
    ["bhclaim.payers.commercial"] = "lua/bhclaim/payers/commercial.lua",
  },
  install = {
    bin = { bhclaim = "scripts/bhclaim" },
  },
}
test = {
  type = "busted",
}
