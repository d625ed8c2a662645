# UI strings of the default theme (German), in Fluent syntax (projectfluent.org).
# Placeables like { $date } are filled in by handbuch; plural forms use CLDR rules.

## Dates: the parts are $day, $day2, $month2, $month-name and $year.
date-format = { $day2 }.{ $month2 }.{ $year }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

language_name = Deutsch
step = Schritt
chapter = Abschnitt
figure = Abbildung

# Labels of numbered things: $n is the number. They use the words above, so a theme
# that only translates `step` gets "Step 3"; change the order here ("{ $n }. Schritt").
# A cross-reference joins a step's or chapter's label and its title.
step-label = { step } { $n }
chapter-label = { chapter } { $n }
figure-label = { figure } { $n }
xref-label = { $label }: { $title }

checklist = Checkliste
sources = Quellen
sources_intro = Die Angaben in diesem Handbuch beruhen auf diesen Quellen, jeweils mit dem Datum, an dem sie zuletzt geprüft wurden.
source_checked = geprüft am { $date }
checklist_intro = Alle Punkte zum Abhaken an einer Stelle. Jeder Punkt verweist auf den Schritt, zu dem er gehört.
contents = Inhalt
handbook_for = Handbuch für
tenant = Tenant
tenant_admin = Tenant-Administrator
contract = Vertrag
next_activation = Nächste Aktivierung
unknown = unbekannt
built_on = Stand
published_by = Herausgegeben von
support = Support
overview = Übersicht
overview_intro = Handbücher aller Schulen. Jede Schule hat ihr eigenes Handbuch mit ihren Daten.
school = Schule
handbooks = Handbücher
language = Sprache
untranslated = Dieser Abschnitt ist noch nicht übersetzt; er wird in der Originalsprache gezeigt.
skip_to_content = Zum Inhalt springen
back_to_overview = Alle Schulen
alert_note = Hinweis
alert_tip = Tipp
alert_important = Wichtig
alert_warning = Warnung
alert_caution = Vorsicht
warnings_title = Hinweise für Ihre Schule
warnings_intro = Diese Hinweise ergeben sich aus den Daten Ihrer Schule. Sie stehen auch beim jeweiligen Schritt.
warnings_none = Für Ihre Schule liegen keine besonderen Hinweise vor.
severity_note = Hinweis
severity_warning = Warnung
severity_danger = Gefahr
see_step = siehe
warnings_column = Hinweise
warn_renewal_due = Die jährliche Onlineaktivierung ist am { $date } fällig, in { $days }. Planen Sie sie jetzt ein.
warn_renewal_overdue = Die jährliche Onlineaktivierung war am { $date } fällig und ist seit { $days } überfällig. Holen Sie sie sofort nach, sonst verlieren Lehrkräfte und Schüler den Zugriff.
warn_renewal_unknown = Für Ihre Schule ist kein Datum der nächsten Onlineaktivierung hinterlegt. Notieren Sie es nach der Buchung und melden Sie es Ihrem IT-Dienstleister.
warn_admin_outside_tenant = Das hinterlegte Administratorkonto { $admin } gehört nicht zur Domain des Tenants { $tenant }. Melden Sie sich damit an, landen die Lizenzen womöglich in einem falschen Tenant. Klären Sie das Konto, bevor Sie { $edition ->
        [vlsc] buchen.
       *[current] aktivieren.
    }
warn_admin_unknown = Für den Tenant { $tenant } ist kein Administratorkonto hinterlegt. Sie brauchen { $edition ->
        [vlsc] es
       *[current] einen Globalen Administrator dieses Tenants
    }, um die Keys einzulösen: Klären Sie vorher, welches Konto den Tenant verwaltet.
warn_order_email_unknown = Die E-Mail-Adresse, mit der bestellt wurde, ist nicht hinterlegt. { $edition ->
        [vlsc] Mit genau dieser Adresse melden Sie sich am VLSC an: Suchen Sie die Mail „Open Value Order Confirmation“ und nehmen Sie deren Empfängeradresse.
       *[current] An sie gehen die Bestellbestätigung und Einladungen von Microsoft: Sehen Sie nach, in welchem Postfach die Mail „Open Value Order Confirmation“ angekommen ist, und teilen Sie die Adresse Ihrem IT-Dienstleister mit.
    }
warn_vlsc_account_unknown = Es ist nicht bekannt, ob der VLSC-Zugang ein Arbeitskonto oder ein Microsoft-Konto ist. Probieren Sie beide Kontotypen aus.
warn_several_orders = Zu Ihrer Schule gehören mehrere Bestellnummern ({ $orders }). Alle gehören zum Vertrag { $contract }: Wählen Sie diesen Vertrag.
warn_no_licenses = Für Ihre Schule sind keine Lizenzen hinterlegt. Vergleichen Sie die gebuchten Lizenzen mit Ihrer Bestellung.
warn_license_zero = Für „{ $product }“ ist die Anzahl 0 hinterlegt. Prüfen Sie die Bestellung.
warn_shared_tenant = Der Tenant { $tenant } ist auch bei { $others } eingetragen. Prüfen Sie, ob das gewollt ist, und { $edition ->
        [vlsc] buchen
       *[current] aktivieren
    } Sie nur die Lizenzen Ihrer Schule.
warn_shared_contract = Die Vertragsnummer { $contract } steht auch in den Daten von { $others }. Eine Vertragsnummer gehört zu genau einer Schule: Klären Sie das mit Ihrem IT-Dienstleister, bevor Sie { $edition ->
        [vlsc] buchen.
       *[current] aktivieren.
    }
warn_provider_no_access = { $provider } hat noch keinen Zugriff auf { $edition ->
        [vlsc] Ihr VLSC. Für die technische Unterstützung empfehlen wir, ihn in diesem Schritt unter „Verwaltung“ einzurichten.
       *[current] den Vertrag Ihrer Schule. Für die technische Unterstützung empfehlen wir, { $provider } in diesem Schritt unter „Rollenzuweisungen“ als Benutzer einzutragen.
    }
warn_assignment_mnspro = Ihre Schule weist Lizenzen automatisch mit MNSpro zu. Prüfen Sie die Zuweisung in MNSpro, nicht im Admin Center.
warn_assignment_manual = Ihre Schule weist Lizenzen von Hand im Admin Center zu.
page_x_of_y = Seite { $x } von { $y }
on_page = S. { $n }
provider = Herausgeber
date = Datum
name = Name
signature = Unterschrift
pdf_download = Als PDF zum Ausdrucken

## Counts
days = { $n ->
    [one] 1 Tag
 *[other] { $n } Tagen
}
licenses = { $n ->
    [one] 1 Lizenz
 *[other] { $n } Lizenzen
}
count-danger = { $n ->
    [one] 1 Gefahr
 *[other] { $n } Gefahren
}
count-warning = { $n ->
    [one] 1 Warnung
 *[other] { $n } Warnungen
}
count-note = { $n ->
    [one] 1 Hinweis
 *[other] { $n } Hinweise
}

## Site: search, checklists, overview filter, preview server
search = Suche
search_label = Handbücher durchsuchen
search_placeholder = Schule, Tenant, Vertragsnummer oder Stichwort …
search_no_results = Keine Treffer.
search_results = { $n ->
    [one] 1 Treffer
 *[other] { $n } Treffer
}
checklist_progress = { $done } von { $total } erledigt
checklist_reset = Checkliste zurücksetzen
filter_label = Schulen filtern
filter_placeholder = Name, Tenant, Vertrag …
overview_schools = { $n ->
    [one] 1 Schule
 *[other] { $n } Schulen
}
overview_page = Seite { $n }
overview_pages = Seiten der Übersicht
overview_matches = Passende Schulen:
overview_loading = Alle Schulen werden geladen …
overview_more = Weitere Schulen anzeigen
build_failed = Der letzte Build ist fehlgeschlagen; angezeigt wird der letzte erfolgreiche Stand.

## Portal changes since April 2024 (issue 9): warnings and the overview's portal line
warn_subscription_expired = Das Abonnement Ihrer Schule ist laut unseren Unterlagen am { $date } abgelaufen, vor { $days }. Nach dem Enddatum ist es zunächst abgelaufen (bei Open Value 30 Tage): Alle arbeiten weiter, und es lässt sich noch verlängern. Danach ist es 90 Tage deaktiviert: Nur Administratoren erreichen noch die Daten. Dann werden die Daten gelöscht. Prüfen Sie sofort im Admin Center unter „Abrechnung › Ihre Produkte“, in welchem Zustand das Abonnement ist, und aktivieren Sie die Lizenzen.
warn_personal_account = { $kind ->
        [email] Die Bestelladresse { $email } ist die Adresse eines privaten Postfachs.
       *[microsoft] Der frühere Zugang Ihrer Schule ist als Microsoft-Konto vermerkt, also als persönliches Konto.
    } An der Volumenlizenzierung können sich nur Geschäfts- oder Schulkonten anmelden. Klären Sie vor der Aktivierung mit { $provider }, welches Geschäfts- oder Schulkonto eine Rolle für die Volumenlizenzierung bekommt. War der frühere Zugang ein persönliches Konto, legt der Support für die Volumenlizenzierung von Microsoft ein neues Profil an.
warn_tenant_id_unknown = Die Tenant-ID von { $tenant } ist nicht hinterlegt. Mit ihr prüfen Sie eindeutig, ob Sie im richtigen Tenant angemeldet sind. Das Microsoft Entra Admin Center zeigt sie in der Übersicht Ihres Tenants unter „Eigenschaften“ als „Mandanten-ID“: Teilen Sie sie { $provider } mit, dann steht sie im nächsten Handbuch.
warn_few_vl_admins = Für Ihre Schule ist { $kind ->
        [one] nur { $names }
       *[none] niemand
    } als Administrator der Volumenlizenzierung vermerkt. Microsoft empfiehlt für jeden Vertrag einen zweiten Administrator. Fällt die einzige Person aus, muss der Support von Microsoft erst ein neues Profil anlegen, bevor jemand wieder an Verträge und Keys kommt. Richten Sie in diesem Schritt eine zweite Person ein und teilen Sie { $provider } die Namen mit.
portal_admin_center = Die Handbücher beschreiben die Aktivierung im Microsoft 365 Admin Center: Abrechnung › Ihre Produkte › Volumenlizenzierung. Das frühere Volume Licensing Service Center (VLSC) hat Microsoft im April 2024 eingestellt.
portal_vlsc = Die Handbücher beschreiben die Schritte im Volume Licensing Service Center (VLSC), wie sie bis zu seiner Einstellung im April 2024 galten.

## Lists of other schools in a warning
more-schools = { $n ->
    [one] und 1 weitere
 *[other] und { $n } weitere
}

## School scope ([publish] scope = "school"): a warning names no other school, and the
## site's root page says where the handbooks are instead of listing them.
other-schools = { $n ->
    [one] einer anderen Schule
 *[other] { $n } anderen Schulen
}
private_site_intro = Jede Schule hat hier ihr eigenes Handbuch unter einer eigenen, nicht öffentlichen Adresse. Den Link zu Ihrem Handbuch erhalten Sie von Ihrem IT-Dienstleister.
## <meta name="description"> of a handbook page and of the overview
meta_description = { $site }: das Handbuch für { $school } mit allen Schritten, einer Checkliste und den Hinweisen für Ihre Schule.
meta_description_overview = { $site }: die Handbücher aller Schulen mit Vertrag, Tenant und Hinweisen.
# The name of the box a wide table scrolls in (read by screen readers)
table_region = Tabelle
# calendar
calendar_link = Termin in den Kalender übernehmen (.ics)
calendar_overview_link = Alle Aktivierungstermine als Kalender (.ics)
calendar_name = { $site }: Aktivierungstermine
calendar_summary = Lizenzen aktivieren: { $school }
calendar_description = Am { $date } ist die jährliche Onlineaktivierung der Microsoft-365-Lizenzen für { $school } fällig (Vertrag { $contract }, Tenant { $tenant }). Das Handbuch führt Schritt für Schritt durch die Aktivierung.
calendar_handbook = Handbuch: { $url }
calendar_alarm = In { $days }, am { $date }: Lizenzen für { $school } aktivieren
calendar_pdf_hint = Kalendereintrag für die nächste Aktivierung: { $url }
calendar_pdf_hint_file = Kalendereintrag für die nächste Aktivierung: die Datei { $file } neben diesem Handbuch auf der Hilfeseite
# handout QR code
qr_label = Online-Handbuch mit abhakbarer Checkliste:
qr_alt = QR-Code: { $url }
