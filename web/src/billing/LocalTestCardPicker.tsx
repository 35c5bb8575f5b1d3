// The local checkout's card: Stripe's test payment methods, each saved for auto top-up and
// behaving in its off-session charges as Stripe's does. Local development only.
import './autoTopup.css';
export const LOCAL_TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa 4242: later automatic top-ups succeed' },
  { id: 'pm_card_chargeCustomerFail', label: 'Visa 0341: later automatic top-ups are declined' },
  { id: 'pm_card_authenticationRequired', label: 'Visa 3184: later automatic top-ups need the cardholder’s authentication' },
] as const;
export type LocalTestCardId = typeof LOCAL_TEST_CARDS[number]['id'];

export function LocalTestCardPicker({ value, onChange }: { value: LocalTestCardId; onChange: (card: LocalTestCardId) => void }) {
  return (
    <fieldset className="local-cards">
      <legend>Test card (saved for auto top-up)</legend>
      {LOCAL_TEST_CARDS.map((card) => (
        <label key={card.id}>
          <input type="radio" name="local-card" value={card.id} checked={value === card.id} onChange={() => onChange(card.id)} />
          {card.label}
        </label>
      ))}
    </fieldset>
  );
}
