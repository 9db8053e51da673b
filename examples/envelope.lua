-- envelope.lua: the X12 envelope for `bhclaim export --to 837p`: who sends
-- the interchange, who receives it, and its control numbers. Ask the
-- clearinghouse for its ids; use usage "T" until it says "P".
return {
  sender_id = "RIVERBEND", receiver_id = "CLEARHOUSE",                 -- ISA06, ISA08
  submitter_name = "Riverbend Counseling", submitter_id = "RB0001",     -- 1000A
  contact_name = "Billing Office", contact_phone = "6145550100",
  receiver_name = "Clearing House", receiver_id_1000b = "CH0001",       -- 1000B
  usage = "T",
  interchange_control = 101, group_control = 101, transaction_control = 101,
  date = "2026-04-08", time = "0930",
}
