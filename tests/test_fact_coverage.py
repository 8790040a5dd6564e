"""Facts from the three source documents, each asked of the query layer (SQLite and PostgreSQL).

Each row names the fact as a student would need it, where it comes from, and
what the query layer must return for it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from assistant.queries import catalogue
from assistant.queries.names import NameCache, NameIndex
from assistant.queries.partners import find_partners, search_partners
from assistant.queries.snapshot import Snapshot, SnapshotCache

UPC = "upc-medicine"
LILLE = "lille-medicine"
Check = Callable[[Snapshot, NameIndex], Any]


def partner_in_country(country: str, name: str, kind: str | None = None, school: str = UPC) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return name in {p.name for p in find_partners(snapshot, school=school, country=country, kind=kind)}

    return check


def partner_city(name: str, city: str) -> Check:
    def check(snapshot: Snapshot, names: NameIndex) -> bool:
        found = search_partners(snapshot, names, name)
        return bool(found) and found[0].city == city

    return check


def fact(school: str, value: float, words: str, topic: str | None = None) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(
            f.value == value and words.lower() in f.text_en.lower() for f in catalogue.facts_about(snapshot, school, topic)
        )

    return check


def fact_text(school: str, words_en: str, words_fr: str, topic: str | None = None) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(
            words_en in f.text_en and words_fr in f.text_fr for f in catalogue.facts_about(snapshot, school, topic)
        )

    return check


def contact(school: str, topic: str, **expected: str) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(
            all(getattr(c, key) == value for key, value in expected.items())
            for c in catalogue.contacts_for(snapshot, school, topic)
        )

    return check


def programme(programme_id: str, **expected: Any) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        found = catalogue.get_programme(snapshot, programme_id)
        return found is not None and all(getattr(found, key) == value for key, value in expected.items())

    return check


def programme_text(programme_id: str, field_name: str, words: str) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        found = catalogue.get_programme(snapshot, programme_id)
        return found is not None and words.lower() in (getattr(found, field_name) or "").lower()

    return check


def programme_contact(programme_id: str, email: str) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        found = catalogue.get_programme(snapshot, programme_id)
        return found is not None and found.contact is not None and found.contact.email == email

    return check


def statistic(kind: str, direction: str, year: str, students: int) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        rows = catalogue.mobility_statistics(snapshot, UPC, kind=kind, direction=direction, academic_year=year)
        return [row.students for row in rows] == [students]

    return check


def share(year: str, category: str, percent: float) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(
            s.category == category and s.percent == pytest.approx(percent)
            for s in catalogue.mobility_shares(snapshot, UPC, academic_year=year)
        )

    return check


def network(school: str, name: str, **expected: Any) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(
            n.name == name and all(getattr(n, key) == value for key, value in expected.items())
            for n in catalogue.networks_of(snapshot, school)
        )

    return check


def grant(school: str, words: str) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(words.lower() in g.name_en.lower() for g in catalogue.grants_of(snapshot, school))

    return check


def service(school: str, words: str) -> Check:
    def check(snapshot: Snapshot, _: NameIndex) -> bool:
        return any(words.lower() in s.name_en.lower() for s in catalogue.services_of(snapshot, school))

    return check


FACTS: dict[str, Check] = {
    # Paris Cité brochure 2025-2026: partners for academic exchanges in Europe (Erasmus+)
    "Charité (FU Berlin) is an Erasmus partner in Germany": partner_in_country("de", "Freie Universität Berlin (La Charité)", "academic-exchange"),
    "Heidelberg is an Erasmus partner in Germany": partner_in_country("de", "Universität Heidelberg", "academic-exchange"),
    "Innsbruck is a partner in Austria": partner_in_country("at", "Medizinische Universität Innsbruck"),
    "Antwerp is a partner in Belgium": partner_in_country("be", "Universiteit Antwerpen"),
    "ULB is a partner in Belgium": partner_in_country("be", "Université Libre de Bruxelles"),
    "KU Leuven is a partner in Belgium": partner_in_country("be", "KU Leuven"),
    "UCLouvain is a partner in Belgium": partner_in_country("be", "Université Catholique de Louvain"),
    "Sofia is a partner in Bulgaria": partner_in_country("bg", "Medical University Sofia"),
    "Aarhus is an exchange partner in Denmark": partner_in_country("dk", "Aarhus University", "academic-exchange"),
    "Aarhus hosts the summer programme": partner_in_country("dk", "Aarhus University", "summer-programme"),
    "Cádiz is a partner in Spain": partner_in_country("es", "Universidad de Cádiz"),
    "Francisco de Vitoria is a partner in Spain": partner_in_country("es", "Universidad Francisco de Vitoria"),
    "Complutense is a partner in Spain": partner_in_country("es", "Universidad Complutense de Madrid"),
    "Athens is a partner in Greece": partner_in_country("gr", "Ethniki Kai Kapodistriako Panepistimio Athinon"),
    "Semmelweis is a partner in Hungary": partner_in_country("hu", "Semmelweis Egyetem"),
    "UCD is an exchange partner in Ireland": partner_in_country("ie", "University College Dublin", "academic-exchange"),
    "UCD is also a clerkship partner": partner_in_country("ie", "University College Dublin", "clinical-clerkship"),
    "Florence is a partner in Italy": partner_in_country("it", "Università degli Studi di Firenze"),
    "Pavia is a partner in Italy": partner_in_country("it", "Università degli Studi di Pavia"),
    "Pisa is a partner in Italy": partner_in_country("it", "Università di Pisa"),
    "Cattolica is a partner in Italy": partner_in_country("it", "Università Cattolica del Sacro Cuore"),
    "Sapienza is a partner in Italy": partner_in_country("it", "Sapienza Università di Roma"),
    "Warsaw is a partner in Poland": partner_in_country("pl", "Warszawski Uniwersytet Medyczny"),
    "Lisbon is a partner in Portugal (spelt as written)": partner_in_country("pt", "Universidad de Lisboa"),
    "Charles University is a partner in Czechia": partner_in_country("cz", "Univerzita Karlova"),
    "Brasov is a partner in Romania": partner_in_country("ro", "Universitatea « Transilvania » din Brasov"),
    "Carol Davila is a partner in Romania": partner_in_country("ro", "Universitatea de Medicina si Farmacie « Carol Davila »"),
    "Manchester is a partner in the UK": partner_in_country("gb", "The University of Manchester"),
    "Ljubljana is a partner in Slovenia": partner_in_country("si", "Univerza v Ljubljani"),
    "Karolinska is a partner in Sweden": partner_in_country("se", "Karolinska Institutet"),
    "Maastricht is a partner in the Netherlands": partner_in_country("nl", "Maastricht University"),
    # academic exchanges outside Europe
    "UT Southwestern is an exchange partner in the US": partner_in_country("us", "UT Southwestern Medical Center", "academic-exchange"),
    "UT Southwestern is in Dallas": partner_city("UT Southwestern", "Dallas"),
    "NUS is an exchange partner in Singapore": partner_in_country("sg", "National University of Singapore", "academic-exchange"),
    # clinical clerkships abroad
    "JIPMER is a clerkship partner in India": partner_in_country("in", "Jawaharlal Institute of Postgraduate Medical Education and Research (JIPMER)", "clinical-clerkship"),
    "JIPMER is in Pondicherry": partner_city("JIPMER", "Pondicherry"),
    "NUS is a clerkship partner": partner_in_country("sg", "National University of Singapore", "clinical-clerkship"),
    "Yokohama City University is a clerkship partner in Japan": partner_in_country("jp", "Yokohama City University", "clinical-clerkship"),
    "Jiao Tong is a clerkship partner in China": partner_in_country("cn", "Université Jiao Tong (Shanghai)", "clinical-clerkship"),
    "SUMHS is a clerkship partner in China": partner_in_country("cn", "Shanghai University of Medicine and Health Sciences (SUMHS)", "clinical-clerkship"),
    "Sydney is a clerkship partner in Australia": partner_in_country("au", "University of Sydney", "clinical-clerkship"),
    "Lima children's institute is a clerkship partner in Peru": partner_in_country("pe", "Instituto Nacional de Salud de los Niños (Lima)", "clinical-clerkship"),
    "Universidad de Chile is a clerkship partner": partner_in_country("cl", "Universidad de Chile (Santiago)", "clinical-clerkship"),
    "Mendoza is a clerkship partner in Argentina": partner_in_country("ar", "Universidad de Mendoza", "clinical-clerkship"),
    "Buenos Aires is a clerkship partner in Argentina": partner_in_country("ar", "Universidad de Buenos Aires", "clinical-clerkship"),
    "Ottawa is a clerkship partner in Canada": partner_in_country("ca", "University of Ottawa", "clinical-clerkship"),
    "Montréal is a clerkship partner in Canada": partner_in_country("ca", "Université de Montréal", "clinical-clerkship"),
    "Einstein is a clerkship partner in the US": partner_in_country("us", "Albert Einstein College of Medicine (New York)", "clinical-clerkship"),
    "USF is a clerkship partner in the US": partner_in_country("us", "University of South Florida (USF, Tampa)", "clinical-clerkship"),
    "Columbia is a clerkship partner in the US": partner_in_country("us", "Columbia University (New York)", "clinical-clerkship"),
    "Chicago is a clerkship partner in the US": partner_in_country("us", "University of Chicago (Illinois)", "clinical-clerkship"),
    "Cork is a clerkship partner in Ireland": partner_in_country("ie", "University College Cork", "clinical-clerkship"),
    "Liverpool is a clerkship partner in the UK": partner_in_country("gb", "University of Liverpool", "clinical-clerkship"),
    "UIASS is a clerkship partner in Morocco": partner_in_country("ma", "Université internationale Abulcasis des Sciences de la Santé - UIASS", "clinical-clerkship"),
    "El Manar is a clerkship partner in Tunisia": partner_in_country("tn", "Université El Manar", "clinical-clerkship"),
    "Saint-Joseph is a clerkship partner in Lebanon": partner_in_country("lb", "Université Saint-Joseph de Beyrouth", "clinical-clerkship"),
    # programmes
    "Erasmus exchange is open from DFGSM3 (3rd year) to DFASM3 (6th year)": programme("upc-erasmus-exchange-europe", min_year=3, max_year=6),
    "Erasmus exchange lasts a semester or a full year": programme_text("upc-erasmus-exchange-europe", "duration_en", "semester or a full academic year"),
    "Aarhus summer programme lasts 2 weeks to 1 month": programme_text("upc-aarhus-summer-programme", "duration_en", "2 weeks to 1 month"),
    "Incoming partner clerkships last 1 to 3 months": programme_text("upc-incoming-partner-clerkships", "duration_en", "1 to 3 months"),
    "Incoming partner clerkships are for 4th to 6th year": programme("upc-incoming-partner-clerkships", min_year=4, max_year=6),
    "Incoming partner clerkships are in English and French": programme("upc-incoming-partner-clerkships", languages=("en", "fr")),
    "Incoming students apply through their home university": programme_text("upc-incoming-partner-clerkships", "how_to_apply_en", "home university"),
    "Erasmus Traineeship requests are not accepted": programme_text("upc-incoming-partner-clerkships", "not_accepted_en", "Erasmus Traineeship"),
    "Summer schools run 6-17 July 2026": programme("upc-summer-school-ai", start_date=dt.date(2026, 7, 6), end_date=dt.date(2026, 7, 17)),
    "Summer schools cost 2,500 to 3,100 EUR": programme("upc-summer-school-hands-on", fee_min_eur=2500, fee_max_eur=3100),
    "Summer schools give 5 ECTS": programme("upc-summer-school-ai", ects_credits=5),
    "Summer schools are taught in English": programme("upc-summer-school-ai", languages=("en",)),
    "Summer school applications open in January 2026": programme_text("upc-summer-school-ai", "application_opens_en", "January 2026"),
    "Hands-on summer school includes AFGSU 2 / BLS certification": programme_text("upc-summer-school-hands-on", "certificate_en", "AFGSU 2"),
    "Summer school venues include the iLumens simulation centre": programme_text("upc-summer-school-hands-on", "venue_en", "iLumens"),
    "Summer school web page": programme_text("upc-summer-school-ai", "url", "u-paris.fr/summerschoolmedicine-2026"),
    "Summer school questions go to the summer-school e-mail": programme_contact("upc-summer-school-ai", "summerschool.medicine@u-paris.fr"),
    "IDEAL4PREPAREDNESS continues IDEAL (2016-2019)": programme_text("upc-ideal4preparedness", "summary_en", "IDEAL (2016-2019)"),
    "PHEMED is about planetary health": programme_text("upc-phemed", "summary_en", "planetary health"),
    # contacts
    "Paris Cité mobility e-mail": contact(UPC, "exchange", email="mobilite.international.medecine@u-paris.fr"),
    "Paris Cité summer school e-mail": contact(UPC, "summer-school", email="summerschool.medicine@u-paris.fr"),
    "Paris Cité international projects e-mail": contact(UPC, "projects", email="projets.international.medecine@u-paris.fr"),
    "Lille international relations e-mail": contact(LILLE, "exchange", email="ri-sante@univ-lille.fr"),
    "Lille international relations phone": contact(LILLE, "exchange", phone="+33 (0)3 20 62 69 19"),
    "Lille international relations is Dr. Vincent Sobanski": contact(LILLE, "exchange", person="Dr. Vincent SOBANSKI"),
    "Lille dean e-mail and phone": contact(LILLE, "dean", email="medecine@univ-lille.fr", phone="+33 (0)3 20 62 69 03"),
    # mobility statistics
    "Outgoing academic exchanges 2021-2022: 21": statistic("academic-exchange", "outgoing", "2021-2022", 21),
    "Incoming academic exchanges 2021-2022: 89": statistic("academic-exchange", "incoming", "2021-2022", 89),
    "Outgoing academic exchanges 2024-2025: 46": statistic("academic-exchange", "outgoing", "2024-2025", 46),
    "Outgoing clerkships 2023-2024: 196": statistic("clinical-clerkship", "outgoing", "2023-2024", 196),
    "Outgoing clerkships 2024-2025: 273": statistic("clinical-clerkship", "outgoing", "2024-2025", 273),
    "Incoming clerkships 2022-2023: 124": statistic("clinical-clerkship", "incoming", "2022-2023", 124),
    "Europe share of outgoing clerkships 2023-2024: 32.89%": share("2023-2024", "europe", 32.89),
    "Partner destinations 2024-2025: 26.40%": share("2024-2025", "partner", 26.40),
    "Oceania share 2024-2025: 2.60%": share("2024-2025", "oceania", 2.60),
    # school facts, Paris Cité
    "Paris Cité has about 26,000 students": fact(UPC, 26000, "26,000"),
    "Paris Cité has 34 research units": fact(UPC, 34, "34 research units"),
    "Paris Cité has 19 affiliated university hospitals": fact(UPC, 19, "19 affiliated university hospitals"),
    "Paris Cité hosts about 250 incoming clerkship students a year": fact(UPC, 250, "250 students"),
    "Paris Cité's international office has 5 staff": fact(UPC, 5, "5 staff"),
    "Paris Cité: 1,274 clerkship exchanges since 2021/2022": fact(UPC, 1274, "1,274"),
    # school facts, Lille brochure
    "Lille has over 12,000 students": fact(LILLE, 12000, "12,000"),
    "Lille: first official medical school in 1876": fact_text(LILLE, "1876", "1876", "history"),
    "Lille: 8,277 patient beds": fact(LILLE, 8277, "8,277"),
    "Lille: PRESAGE simulation centre is 2,500 m²": fact(LILLE, 2500, "2,500 m²"),
    "Lille: 18 lecture halls": fact(LILLE, 18, "18 lecture halls"),
    "Lille: 31 research teams": fact(LILLE, 31, "31 research teams"),
    "Lille: over 160 CME courses": fact(LILLE, 160, "160 training courses"),
    "Lille is 35 minutes from Brussels": fact(LILLE, 35, "35 minutes from Brussels", "city"),
    "Lille was European capital of culture in 2004": fact_text(LILLE, "2004", "2004", "city"),
    # University of Lille page and figures
    "University of Lille has 67,000 students": fact(LILLE, 67000, "67,000"),
    "University of Lille has 7,300 international students": fact(LILLE, 7300, "7,300"),
    "University of Lille opened an office in Belo Horizonte in 2019": fact_text(LILLE, "Belo Horizonte", "Belo Horizonte"),
    "3i University Network with Ghent, KU Leuven and Kent": partner_in_country("gb", "University of Kent", school=LILLE),
    "Ghent University is a University of Lille partner": partner_in_country("be", "University of Ghent", school=LILLE),
    "InclusU has seven universities": network(LILLE, "InclusU", members=7),
    "SGroup membership since 2020": network(LILLE, "SGroup", joined="2020"),
    "ISEP exchange programme (United States)": programme_text("ulille-isep", "name_en", "ISEP"),
    "BCI exchange programme (Quebec)": programme_text("ulille-bci", "summary_en", "Québec"),
    "Lille services: social security registration": service(LILLE, "social security"),
    "Lille services: student healthcare center": service(LILLE, "healthcare"),
    # networks and grants, Paris Cité
    "Circle U. alliance of nine universities": network(UPC, "Circle U.", members=9),
    "ECTS Medical Association: 53 faculties in 22 countries, joined April 2024": network(UPC, "ECTS Medical Association Network", members=53, countries=22, joined="2024-04"),
    "Erasmus+ study allowance": grant(UPC, "Erasmus+ study"),
    "Erasmus+ traineeship allowance": grant(UPC, "Erasmus+ traineeship"),
    "MESRI grant": grant(UPC, "MESRI"),
}


@pytest.fixture(scope="module")
def names(loaded_engine) -> NameIndex:
    return NameCache(loaded_engine).get()


@pytest.fixture(scope="module")
def snapshot(loaded_engine) -> Snapshot:
    return SnapshotCache(loaded_engine).get()


def test_coverage_spans_at_least_eighty_facts() -> None:
    assert len(FACTS) >= 80


@pytest.mark.parametrize("description", list(FACTS))
def test_fact_is_returned_by_the_query_layer(description: str, snapshot: Snapshot, names: NameIndex) -> None:
    assert FACTS[description](snapshot, names), description
