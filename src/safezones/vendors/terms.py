"""The contract terms California requires when a vendor handles pupil records
(Education Code 49073.1, the nine terms of subdivision (b)) and SOPIPA's
prohibitions (Business and Professions Code 22584). Other states can replace
this table."""

from django.utils.translation import gettext_lazy as _

TERMS = {
    "ec_ownership": _("Pupil records remain the property of and under the control of the district."),
    "ec_pupil_content": _("Pupils may keep content they create, and how they transfer it to a personal account."),
    "ec_no_other_use": _(
        "The vendor will not use the information in pupil records for any purpose other than the contract."
    ),
    "ec_review_correct": _("How parents, guardians or pupils may review their records and correct errors."),
    "ec_security": _(
        "The actions the vendor takes to keep pupil records secure and confidential, including who may reach them."
    ),
    "ec_breach_notice": _(
        "How the vendor notifies affected parents, guardians or pupils of an unauthorized disclosure."
    ),
    "ec_no_retention": _(
        "Pupil records are not kept or available to the vendor after the contract ends, and how that is enforced."
    ),
    "ec_ferpa": _("How the district and the vendor together comply with FERPA."),
    "ec_no_targeted_ads": _(
        "The vendor will not use personally identifiable information in pupil records to target advertising."
    ),
    "sopipa_no_targeted_ads": _("SOPIPA: no targeted advertising based on what the service learns about students."),
    "sopipa_no_profiling": _("SOPIPA: no profile of a student except for school purposes."),
    "sopipa_no_sale": _("SOPIPA: no sale or rental of student information."),
    "sopipa_no_disclosure": _("SOPIPA: no disclosure of student information except as the law allows."),
    "sopipa_security": _("SOPIPA: reasonable security, and deletion at the district's request."),
}
