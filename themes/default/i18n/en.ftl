# UI strings of the default theme (English), in Fluent syntax (projectfluent.org).
# Placeables like { $date } are filled in by handbuch; plural forms use CLDR rules.

## Dates: the parts are $day, $day2, $month2, $month-name and $year.
date-format = { $day } { $month-name } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

language_name = English
step = Step
chapter = Section
figure = Figure

# Labels of numbered things: $n is the number. They use the words above, so a theme
# that only translates `step` gets "Step 3"; change the order here ("{ $n }. Schritt").
# A cross-reference joins a step's or chapter's label and its title.
step-label = { step } { $n }
chapter-label = { chapter } { $n }
figure-label = { figure } { $n }
xref-label = { $label }: { $title }

checklist = Checklist
sources = Sources
sources_intro = The facts in this handbook are based on these sources, each with the date it was last checked.
source_checked = checked { $date }
checklist_intro = Every item to tick in one place. Each item links to the step it belongs to.
contents = Contents
handbook_for = Handbook for
tenant = Tenant
tenant_admin = Tenant administrator
contract = Contract
next_activation = Next activation
unknown = unknown
built_on = As of
published_by = Published by
support = Support
overview = Overview
overview_intro = Handbooks of all schools. Each school has its own handbook with its own data.
school = School
handbooks = Handbooks
language = Language
untranslated = This section is not yet translated; it is shown in the original language.
skip_to_content = Skip to content
back_to_overview = All schools
alert_note = Note
alert_tip = Tip
alert_important = Important
alert_warning = Warning
alert_caution = Caution
warnings_title = Notes for your school
warnings_intro = These notes follow from your school's data. Each one is repeated at the step it belongs to.
warnings_none = There are no particular notes for your school.
severity_note = Note
severity_warning = Warning
severity_danger = Danger
see_step = see
warnings_column = Notes
warn_renewal_due = The yearly online activation is due on { $date }, in { $days }. Plan it now.
warn_renewal_overdue = The yearly online activation was due on { $date } and is { $days } overdue. Do it at once, or teachers and students lose access.
warn_renewal_unknown = No date is recorded for your school's next online activation. Note it after booking and tell your IT provider.
warn_admin_outside_tenant = The recorded admin account { $admin } is not in the tenant's domain { $tenant }. If you sign in with it, the licenses may end up in the wrong tenant. Clarify the account before you { $edition ->
        [vlsc] book.
       *[current] activate.
    }
warn_admin_unknown = No admin account is recorded for the tenant { $tenant }. You need { $edition ->
        [vlsc] it
       *[current] a Global Administrator of this tenant
    } to redeem the keys: find out first which account manages the tenant.
warn_order_email_unknown = The e-mail address used for ordering is not recorded. { $edition ->
        [vlsc] You sign in to the VLSC with exactly that address: find the “Open Value Order Confirmation” mail and use the address it was sent to.
       *[current] The order confirmation and Microsoft's invitations go to it: check which mailbox received the “Open Value Order Confirmation” mail, and tell your IT provider the address.
    }
warn_vlsc_account_unknown = It is not known whether the VLSC login is a work account or a Microsoft account. Try both account types.
warn_several_orders = Your school has several order numbers ({ $orders }). They all belong to contract { $contract }: choose that contract.
warn_no_licenses = No licenses are recorded for your school. Compare the added licenses with your order.
warn_license_zero = The quantity recorded for “{ $product }” is 0. Check the order.
warn_shared_tenant = The tenant { $tenant } is also recorded for { $others }. Check that this is intended, and { $edition ->
        [vlsc] book
       *[current] activate
    } only your school's licenses.
warn_shared_contract = The contract number { $contract } also appears in the data of { $others }. A contract number belongs to exactly one school: clarify this with your IT provider before you { $edition ->
        [vlsc] book.
       *[current] activate.
    }
warn_provider_no_access = { $provider } has no access to { $edition ->
        [vlsc] your VLSC yet. For technical support we recommend setting it up in this step under “Administration”.
       *[current] your school's contract yet. For technical support we recommend adding { $provider } as a user in this step under “Role assignments”.
    }
warn_assignment_mnspro = Your school assigns licenses automatically with MNSpro. Check the assignment in MNSpro, not in the admin center.
warn_assignment_manual = Your school assigns licenses by hand in the admin center.
page_x_of_y = Page { $x } of { $y }
on_page = p. { $n }
provider = Published by
date = Date
name = Name
signature = Signature
pdf_download = PDF to print

## Counts
days = { $n ->
    [one] 1 day
 *[other] { $n } days
}
licenses = { $n ->
    [one] 1 license
 *[other] { $n } licenses
}
count-danger = { $n ->
    [one] 1 danger
 *[other] { $n } dangers
}
count-warning = { $n ->
    [one] 1 warning
 *[other] { $n } warnings
}
count-note = { $n ->
    [one] 1 note
 *[other] { $n } notes
}

## Site: search, checklists, overview filter, preview server
search = Search
search_label = Search the handbooks
search_placeholder = School, tenant, contract number or keyword …
search_no_results = No results.
search_results = { $n ->
    [one] 1 result
 *[other] { $n } results
}
checklist_progress = { $done } of { $total } done
checklist_reset = Reset checklist
filter_label = Filter schools
filter_placeholder = Name, tenant, contract …
overview_schools = { $n ->
    [one] 1 school
 *[other] { $n } schools
}
overview_page = Page { $n }
overview_pages = Pages of the overview
overview_matches = Matching schools:
overview_loading = Loading all schools …
overview_more = Show more schools
build_failed = The last build failed; the last good version is shown.

## Portal changes since April 2024 (issue 9): warnings and the overview's portal line
warn_subscription_expired = According to our records, your school's subscription expired on { $date }, { $days } ago. After the end date, it is first expired (30 days for Open Value): everyone keeps working, and it can still be renewed. After that, it is disabled for 90 days: only administrators can still reach the data. Then the data is deleted. Check at once in the admin center under “Billing › Your products” what state the subscription is in, and activate the licenses.
warn_personal_account = { $kind ->
        [email] The ordering address { $email } is the address of a personal mailbox.
       *[microsoft] Your school's former access is recorded as a Microsoft account, which is a personal account.
    } Only work or school accounts can sign in to volume licensing. Before the activation, agree with { $provider } which work or school account gets a volume licensing role. If the former access was a personal account, Microsoft's volume licensing support creates a new profile.
warn_tenant_id_unknown = The tenant ID of { $tenant } is not recorded. With it you can check beyond doubt that you are signed in to the right tenant. The Microsoft Entra admin center shows it in your tenant's overview under “Properties” as “Tenant ID”: send it to { $provider } so that it appears in the next handbook.
warn_few_vl_admins = { $kind ->
        [one] Only { $names } is
       *[none] Nobody is
    } recorded as a volume licensing administrator for your school. Microsoft recommends a second administrator for every contract. If the only person is unavailable, Microsoft support first has to create a new profile before anyone can reach the contracts and keys again. Set up a second person in this step and tell { $provider } their names.
portal_admin_center = The handbooks describe the activation in the Microsoft 365 admin center: Billing › Your products › Volume licensing. Microsoft retired the former Volume Licensing Service Center (VLSC) in April 2024.
portal_vlsc = The handbooks describe the steps in the Volume Licensing Service Center (VLSC) as they applied until it was retired in April 2024.

## Lists of other schools in a warning
more-schools = { $n ->
    [one] and 1 more
 *[other] and { $n } more
}

## School scope ([publish] scope = "school"): a warning names no other school, and the
## site's root page says where the handbooks are instead of listing them.
other-schools = { $n ->
    [one] another school
 *[other] { $n } other schools
}
private_site_intro = Each school has its own handbook on this site, at its own address that is not public. Your IT provider sends you the link to yours.
## <meta name="description"> of a handbook page and of the overview
meta_description = { $site }: the handbook for { $school } with every step, a checklist and the notes for your school.
meta_description_overview = { $site }: the handbooks of all schools with contract, tenant and notes.
# The name of the box a wide table scrolls in (read by screen readers)
table_region = Table
# calendar
calendar_link = Add to your calendar (.ics)
calendar_overview_link = All activation dates as a calendar (.ics)
calendar_name = { $site }: activation dates
calendar_summary = Activate licenses: { $school }
calendar_description = The yearly online activation of the Microsoft 365 licenses for { $school } is due on { $date } (contract { $contract }, tenant { $tenant }). The handbook guides you through it step by step.
calendar_handbook = Handbook: { $url }
calendar_alarm = In { $days }, on { $date }: activate the licenses for { $school }
calendar_pdf_hint = Calendar entry for the next activation: { $url }
calendar_pdf_hint_file = Calendar entry for the next activation: the file { $file } next to this handbook on the help site
# handout QR code
qr_label = Online handbook with the checklist to tick:
qr_alt = QR code: { $url }
