/*
** x12_inquiry_codes.c: the code lists the 270/271 and 276/277 readers
** explain (bh_inquiry_meaning). Wording follows the code lists of the
** ASC X12 005010X279A1 (eligibility) and 005010X212 (claim status)
** implementation guides: EB01 element 1390, EB02/EQ03 element 1207, EB03
** and EQ01 element 1365 (service types; the behavioral-health codes and the
** common ones only), EB06 element 615, EB09 element 673, EB11/EB12 element
** 1073, AAA03 element 901, AAA04 element 889, and the external code lists
** 507 (claim status category) and 508 (claim status; a handful kept).
** A code not listed here has no meaning (NULL), never a guessed one.
** SPDX-License-Identifier: MIT
*/
#include <string.h>
#include "x12_inquiry.h"

typedef struct code_meaning {
    const char *code;
    const char *meaning;
} code_meaning;

static const code_meaning eb_kinds[] = {
    {"1", "Active Coverage"}, {"2", "Active - Full Risk Capitation"},
    {"3", "Active - Services Capitated"},
    {"4", "Active - Services Capitated to Primary Care Physician"},
    {"5", "Active - Pending Investigation"}, {"6", "Inactive"},
    {"7", "Inactive - Pending Eligibility Update"}, {"8", "Inactive - Pending Investigation"},
    {"A", "Co-Insurance"}, {"B", "Co-Payment"}, {"C", "Deductible"}, {"CB", "Coverage Basis"},
    {"D", "Benefit Description"}, {"E", "Exclusions"}, {"F", "Limitations"},
    {"G", "Out of Pocket (Stop Loss)"}, {"H", "Unlimited"}, {"I", "Non-Covered"},
    {"J", "Cost Containment"}, {"K", "Reserve"}, {"L", "Primary Care Provider"},
    {"M", "Pre-existing Condition"}, {"MC", "Managed Care Coordinator"},
    {"N", "Services Restricted to Following Provider"}, {"O", "Not Deemed a Medical Necessity"},
    {"P", "Benefit Disclaimer"}, {"Q", "Second Surgical Opinion Required"},
    {"R", "Other or Additional Payor"}, {"S", "Prior Year(s) History"},
    {"T", "Card(s) Reported Lost/Stolen"},
    {"U", "Contact Following Entity for Eligibility or Benefit Information"},
    {"V", "Cannot Process"}, {"W", "Other Source of Data"}, {"X", "Health Care Facility"},
    {"Y", "Spend Down"}, {NULL, NULL}};

static const code_meaning service_types[] = {
    {"1", "Medical Care"}, {"2", "Surgical"}, {"3", "Consultation"},
    {"4", "Diagnostic X-Ray"}, {"5", "Diagnostic Lab"}, {"30", "Health Benefit Plan Coverage"},
    {"33", "Chiropractic"}, {"35", "Dental Care"}, {"47", "Hospital"},
    {"48", "Hospital - Inpatient"}, {"50", "Hospital - Outpatient"},
    {"86", "Emergency Services"}, {"88", "Pharmacy"},
    {"98", "Professional (Physician) Visit - Office"},
    {"A3", "Professional (Physician) Visit - Home"}, {"A4", "Psychiatric"},
    {"A5", "Psychiatric - Room and Board"}, {"A6", "Psychotherapy"},
    {"A7", "Psychiatric - Inpatient"}, {"A8", "Psychiatric - Outpatient"},
    {"AI", "Substance Abuse"}, {"AJ", "Alcoholism"}, {"AK", "Drug Addiction"},
    {"AL", "Vision (Optometry)"}, {"BB", "Partial Hospitalization (Psychiatric)"},
    {"MH", "Mental Health"}, {"UC", "Urgent Care"}, {NULL, NULL}};

static const code_meaning coverage_levels[] = {
    {"CHD", "Children Only"}, {"DEP", "Dependents Only"}, {"ECH", "Employee and Children"},
    {"EMP", "Employee Only"}, {"ESP", "Employee and Spouse"}, {"FAM", "Family"},
    {"IND", "Individual"}, {"SPC", "Spouse and Children"}, {"SPO", "Spouse Only"},
    {NULL, NULL}};

static const code_meaning time_periods[] = {
    {"6", "Hour"}, {"7", "Day"}, {"13", "24 Hours"}, {"21", "Years"}, {"22", "Service Year"},
    {"23", "Calendar Year"}, {"24", "Year to Date"}, {"25", "Contract"}, {"26", "Episode"},
    {"27", "Visit"}, {"28", "Outlier"}, {"29", "Remaining"}, {"30", "Exceeded"},
    {"31", "Not Exceeded"}, {"32", "Lifetime"}, {"33", "Lifetime Remaining"}, {"34", "Month"},
    {"35", "Week"}, {"36", "Admission"}, {NULL, NULL}};

static const code_meaning quantities[] = {
    {"99", "Quantity Used"}, {"CA", "Covered - Actual"}, {"CE", "Covered - Estimated"},
    {"DB", "Deductible Blood Units"}, {"DY", "Days"}, {"HS", "Hours"},
    {"LA", "Life-time Reserve - Actual"}, {"LE", "Life-time Reserve - Estimated"},
    {"M2", "Maximum"}, {"MN", "Month"}, {"P6", "Number of Services or Procedures"},
    {"QA", "Quantity Approved"}, {"S7", "Age, High Value"}, {"S8", "Age, Low Value"},
    {"VS", "Visits"}, {"YY", "Years"}, {NULL, NULL}};

static const code_meaning networks[] = {
    {"Y", "In network"}, {"N", "Out of network"}, {"U", "Unknown"},
    {"W", "Not applicable (in and out of network)"}, {NULL, NULL}};

static const code_meaning authorizations[] = {
    {"Y", "Authorization or certification required"},
    {"N", "No authorization or certification required"}, {"U", "Unknown"}, {NULL, NULL}};

static const code_meaning reject_reasons[] = {
    {"04", "Authorized Quantity Exceeded"}, {"15", "Required application data missing"},
    {"41", "Authorization/Access Restrictions"}, {"42", "Unable to Respond at Current Time"},
    {"43", "Invalid/Missing Provider Identification"}, {"44", "Invalid/Missing Provider Name"},
    {"45", "Invalid/Missing Provider Specialty"}, {"46", "Invalid/Missing Provider Phone Number"},
    {"47", "Invalid/Missing Provider State"},
    {"48", "Invalid/Missing Referring Provider Identification Number"},
    {"49", "Provider is Not Primary Care Physician"}, {"50", "Provider Ineligible for Inquiries"},
    {"51", "Provider Not on File"}, {"52", "Service Dates Not Within Provider Plan Enrollment"},
    {"53", "Inquired Benefit Inconsistent with Provider Type"},
    {"54", "Inappropriate Product/Service ID Qualifier"},
    {"55", "Inappropriate Product/Service ID"}, {"56", "Inappropriate Date"},
    {"57", "Invalid/Missing Date(s) of Service"}, {"58", "Invalid/Missing Date-of-Birth"},
    {"60", "Date of Birth Follows Date(s) of Service"},
    {"61", "Date of Death Precedes Date(s) of Service"},
    {"62", "Date of Service Not Within Allowable Inquiry Period"},
    {"63", "Date of Service in Future"}, {"64", "Invalid/Missing Patient ID"},
    {"65", "Invalid/Missing Patient Name"}, {"66", "Invalid/Missing Patient Gender Code"},
    {"67", "Patient Not Found"}, {"68", "Duplicate Patient ID Number"},
    {"69", "Inconsistent with Patient's Age"}, {"70", "Inconsistent with Patient's Gender"},
    {"71", "Patient Birth Date Does Not Match That for the Patient on the Database"},
    {"72", "Invalid/Missing Subscriber/Insured ID"},
    {"73", "Invalid/Missing Subscriber/Insured Name"},
    {"74", "Invalid/Missing Subscriber/Insured Gender Code"},
    {"75", "Subscriber/Insured Not Found"}, {"76", "Duplicate Subscriber/Insured ID Number"},
    {"77", "Subscriber Found, Patient Not Found"},
    {"78", "Subscriber/Insured Not in Group/Plan Identified"},
    {"79", "Invalid Participant Identification"},
    {"80", "No Response received - Transaction Terminated"},
    {"97", "Invalid or Missing Provider Address"}, {"AA", "Authorization Number Not Found"},
    {"AE", "Requires Primary Care Physician Authorization"},
    {"AF", "Invalid/Missing Diagnosis Code(s)"}, {"AG", "Invalid/Missing Procedure Code(s)"},
    {"AO", "Additional Patient Condition Information Required"},
    {"CI", "Certification Information Does Not Match Patient"},
    {"E8", "Requires Medical Review"}, {"IA", "Invalid Authorization Number Format"},
    {"MA", "Missing Authorization Number"}, {"T4", "Payer Name or Identifier Missing"},
    {NULL, NULL}};

static const code_meaning follow_ups[] = {
    {"C", "Please Correct and Resubmit"}, {"N", "Resubmission Not Allowed"},
    {"P", "Please Resubmit Original Transaction"}, {"R", "Resubmission Allowed"},
    {"S", "Do Not Resubmit; Inquiry Initiated to a Third Party"},
    {"W", "Please Wait 30 Days and Resubmit"}, {"X", "Please Wait 10 Days and Resubmit"},
    {"Y", "Do Not Resubmit; We Will Hand Deliver Response"}, {NULL, NULL}};

static const code_meaning status_categories[] = {
    {"A0", "Acknowledgement/Forwarded"}, {"A1", "Acknowledgement/Receipt"},
    {"A2", "Acknowledgement/Acceptance into adjudication system"},
    {"A3", "Acknowledgement/Returned as unprocessable claim"},
    {"A4", "Acknowledgement/Not Found"}, {"A5", "Acknowledgement/Split Claim"},
    {"A6", "Acknowledgement/Rejected for Missing Information"},
    {"A7", "Acknowledgement/Rejected for Invalid Information"},
    {"A8", "Acknowledgement/Rejected for relational field in error"},
    {"P0", "Pending: Adjudication/Details"}, {"P1", "Pending/In Process"},
    {"P2", "Pending/Payer Review"}, {"P3", "Pending/Provider Requested Information"},
    {"P4", "Pending/Patient Requested Information"},
    {"P5", "Pending/Payer Administrative/System hold"}, {"F0", "Finalized"},
    {"F1", "Finalized/Payment"}, {"F2", "Finalized/Denial"}, {"F3", "Finalized/Revised"},
    {"F3F", "Finalized/Forwarded"}, {"F3N", "Finalized/Not Forwarded"},
    {"F4", "Finalized/Adjudication Complete - No payment forthcoming"},
    {"R0", "Requests for additional Information/General Requests"},
    {"R1", "Requests for additional Information/Entity Requests"},
    {"E0", "Response not possible - error on submitted request data"},
    {"E1", "Response not possible - System Status"},
    {"E2", "Information Holder is not responding; resubmit at a later time"},
    {"E3", "Correction required - relational fields in error"},
    {"E4", "Trading partner agreement specific requirement not met: Data correction required"},
    {"D0", "Data Search Unsuccessful"}, {NULL, NULL}};

static const code_meaning status_codes[] = {
    {"0", "Cannot provide further status electronically."},
    {"1", "For more detailed information, see remittance advice."},
    {"2", "More detailed information in letter."},
    {"3", "Claim has been adjudicated and is awaiting payment cycle."},
    {"20", "Accepted for processing."}, {NULL, NULL}};

typedef struct code_list {
    const char *name;
    const code_meaning *codes;
} code_list;

static const code_list lists[] = {
    {"eb_kind", eb_kinds}, {"service_type", service_types},
    {"coverage_level", coverage_levels}, {"time_period", time_periods},
    {"quantity", quantities}, {"network", networks}, {"authorization", authorizations},
    {"reject_reason", reject_reasons}, {"follow_up", follow_ups},
    {"status_category", status_categories}, {"status_code", status_codes}, {NULL, NULL}};

const char *bh_inquiry_meaning(const char *list, const char *code) {
    const code_list *l;
    const code_meaning *c;
    if (list == NULL || code == NULL) return NULL;
    for (l = lists; l->name; l++) {
        if (strcmp(l->name, list) != 0) continue;
        for (c = l->codes; c->code; c++)
            if (strcmp(c->code, code) == 0) return c->meaning;
        return NULL;
    }
    return NULL;
}
