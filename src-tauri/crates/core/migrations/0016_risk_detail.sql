-- Why a person is at risk, in words beside the controlled list ("Garifuna; targeted for being
-- Black"): it matters to a complaint and had only the notes to go in.
ALTER TABLE clients ADD COLUMN risk_detail TEXT NOT NULL DEFAULT '';
