"""Forms shared by pages and imports (WTForms): what a field accepts is said once, for an
organizer's page and for a row of an import alike. ``fields`` holds the pieces every form uses
(text cleaning, codes, names, decimals, select choices); ``setup`` the forms of setting up an
event, which the set-up pages show and the trade and judge imports validate each row with."""
