import { z } from 'zod';
import type { TemplateEntryInput } from './createTemplateLibrary.js';

const customer = z.object({ id: z.string().optional(), first_name: z.string().optional() });
const brand = z.object({ name: z.string() });
const agent = z.object({ name: z.string() });
const ticket = z.object({ id: z.string() });
const order = z.object({
  id: z.string(),
  status: z.string().optional(),
  carrier: z.string().optional(),
  tracking_url: z.string().optional(),
  estimated_delivery: z.string().optional(),
  items: z.array(z.object({ name: z.string(), quantity: z.number() })).optional(),
});

/** Variables of the starter acknowledgement. */
export const AcknowledgementVariables = z.object({
  customer,
  brand,
  ticket,
  reply_by: z.string().optional(),
});
/** Variables of the starter shipping delay notice. */
export const ShippingDelayVariables = z.object({
  customer,
  brand,
  agent,
  order,
  delay: z.object({ new_date: z.string(), reason: z.string().optional() }),
});
/** Variables of the starter order status reply. */
export const OrderStatusVariables = z.object({ customer, brand, agent, order });
/** Variables of the starter return instructions. */
export const ReturnInstructionsVariables = z.object({
  customer,
  brand,
  agent,
  order,
  return_: z.object({ label_url: z.string(), deadline: z.string(), address: z.string().optional() }),
});
/** Variables of the starter refund confirmation. */
export const RefundConfirmationVariables = z.object({
  customer,
  brand,
  agent,
  order,
  refund: z.object({ amount: z.number(), currency: z.string(), days: z.number() }),
});
/** Variables of the starter goodwill offer. */
export const GoodwillOfferVariables = z.object({
  customer,
  brand,
  agent,
  discount: z.object({ code: z.string(), percent: z.number(), expires: z.string() }),
});
/** Variables of the starter damaged-item apology. */
export const DamagedItemVariables = z.object({
  customer,
  brand,
  agent,
  order,
  item: z.object({ name: z.string() }),
  remedies: z.object({ replacement_days: z.number(), refund_amount: z.number(), currency: z.string() }),
});
/** Variables of the starter survey request. */
export const SurveyRequestVariables = z.object({
  customer,
  brand,
  ticket,
  survey: z.object({ url: z.string() }),
});
/** Variables of the starter follow-up. */
export const FollowUpVariables = z.object({ customer, brand, agent, ticket });
/** Variables of the bot's question and hand-over notice. */
export const BotMessageVariables = z.object({ brand, reply_by: z.string().optional() });

const hi = {
  en: '{{ customer.first_name | capitalize | default: "there" }}',
  es: 'Hola{% if customer.first_name %} {{ customer.first_name | capitalize }}{% endif %}',
  vi: '{{ customer.first_name | capitalize | default: "bạn" }}',
};

/**
 * A starter set of canned responses for an online shop, in English, Spanish and Vietnamese:
 * acknowledgement, shipping delay notice, order status, return instructions, refund
 * confirmation, goodwill offer, damaged item (two remedies), survey request, follow-up, and the
 * bot's closing question (it says the answer is automatic) and hand-over notice.
 * Each has a zod schema of its variables (linted in carekit's tests) and most have two English
 * variants so customers do not see the same wording every time.
 *
 * @example
 * ```ts
 * const library = createTemplateLibrary(starterTemplates);
 * library.render('shipping_delay', context, { channel: 'chat', locale: 'es', customerId: 'c1', ticketId: 't1' }).output;
 * ```
 */
export const starterTemplates: readonly TemplateEntryInput[] = [
  {
    id: 'acknowledgement',
    purpose: 'Confirm a new contact was received and say when the customer will hear back',
    channels: ['email', 'chat', 'social', 'marketplace', 'sms', 'web_form'],
    schema: AcknowledgementVariables,
    locales: {
      en: {
        subject: 'We got your message [{{ ticket.id }}]',
        variants: [
          `Hi ${hi.en}, thanks for reaching out to {{ brand.name }}. Your request {{ ticket.id }} is with our team{% if reply_by %} and we will reply by {{ reply_by }}{% endif %}.`,
          `Hello ${hi.en}! We have your message (ref. {{ ticket.id }}){% if reply_by %}; expect our answer by {{ reply_by }}{% endif %}. The {{ brand.name }} team`,
        ],
      },
      es: {
        subject: 'Hemos recibido tu mensaje [{{ ticket.id }}]',
        variants: [
          `${hi.es}, gracias por escribir a {{ brand.name }}. Tu solicitud {{ ticket.id }} ya está con nuestro equipo{% if reply_by %} y te responderemos antes de {{ reply_by }}{% endif %}.`,
        ],
      },
      vi: {
        subject: 'Chúng tôi đã nhận được tin nhắn của bạn [{{ ticket.id }}]',
        variants: [
          `Xin chào ${hi.vi}, cảm ơn bạn đã liên hệ {{ brand.name }}. Yêu cầu {{ ticket.id }} của bạn đã được chuyển đến đội ngũ hỗ trợ{% if reply_by %} và chúng tôi sẽ phản hồi trước {{ reply_by }}{% endif %}.`,
        ],
      },
    },
  },
  {
    id: 'shipping_delay',
    purpose: 'Tell the customer, before they ask, that an order will arrive late',
    channels: ['email', 'chat', 'sms', 'marketplace'],
    schema: ShippingDelayVariables,
    locales: {
      en: {
        subject: 'Your order {{ order.id }} is running late',
        variants: [
          `Hi ${hi.en}, we are sorry: order {{ order.id }} will arrive later than planned{% if delay.reason %} ({{ delay.reason }}){% endif %}. The new delivery date is {{ delay.new_date | date: "long" }}.{% if order.tracking_url %} You can follow it here: {{ order.tracking_url }}{% endif %}\n\n{{ agent.name }}, {{ brand.name }}`,
          `Hello ${hi.en}, a quick heads-up from {{ brand.name }}: your order {{ order.id }} is delayed and should now reach you on {{ delay.new_date | date: "long" }}. We apologise for the wait.{% if order.tracking_url %} Tracking: {{ order.tracking_url }}{% endif %}\n\n{{ agent.name }}`,
        ],
      },
      es: {
        subject: 'Tu pedido {{ order.id }} se retrasa',
        variants: [
          `${hi.es}, lo sentimos: el pedido {{ order.id }} llegará más tarde de lo previsto{% if delay.reason %} ({{ delay.reason }}){% endif %}. La nueva fecha de entrega es {{ delay.new_date | date: "long" }}.{% if order.tracking_url %} Puedes seguirlo aquí: {{ order.tracking_url }}{% endif %}\n\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      vi: {
        subject: 'Đơn hàng {{ order.id }} bị giao chậm',
        variants: [
          `Xin chào ${hi.vi}, chúng tôi rất tiếc: đơn hàng {{ order.id }} sẽ đến muộn hơn dự kiến{% if delay.reason %} ({{ delay.reason }}){% endif %}. Ngày giao hàng mới là {{ delay.new_date | date: "long" }}.{% if order.tracking_url %} Bạn có thể theo dõi tại: {{ order.tracking_url }}{% endif %}\n\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
    },
  },
  {
    id: 'order_status',
    purpose: 'Answer "where is my order?"',
    channels: ['email', 'chat', 'social', 'marketplace', 'sms'],
    schema: OrderStatusVariables,
    locales: {
      en: {
        variants: [
          `Hi ${hi.en}, order {{ order.id }} is {{ order.status | default: "being prepared" }}{% if order.carrier %} with {{ order.carrier }}{% endif %}.{% if order.estimated_delivery %} Expected delivery: {{ order.estimated_delivery | date: "long" }}.{% endif %}{% if order.tracking_url %} Track it: {{ order.tracking_url }}{% endif %}`,
          `Hi ${hi.en}, good news: your order {{ order.id }} is {{ order.status | default: "being prepared" }}.{% if order.items %} It contains {% for item in order.items %}{{ item.quantity }} × {{ item.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}.{% endif %}{% if order.tracking_url %} Tracking: {{ order.tracking_url }}{% endif %}`,
        ],
      },
      es: {
        variants: [
          `${hi.es}, el pedido {{ order.id }} está {{ order.status | default: "en preparación" }}{% if order.carrier %} con {{ order.carrier }}{% endif %}.{% if order.estimated_delivery %} Entrega prevista: {{ order.estimated_delivery | date: "long" }}.{% endif %}{% if order.tracking_url %} Seguimiento: {{ order.tracking_url }}{% endif %}`,
        ],
      },
      vi: {
        variants: [
          `Xin chào ${hi.vi}, đơn hàng {{ order.id }} đang ở trạng thái {{ order.status | default: "đang chuẩn bị" }}{% if order.carrier %} với {{ order.carrier }}{% endif %}.{% if order.estimated_delivery %} Dự kiến giao: {{ order.estimated_delivery | date: "long" }}.{% endif %}{% if order.tracking_url %} Theo dõi: {{ order.tracking_url }}{% endif %}`,
        ],
      },
    },
  },
  {
    id: 'return_instructions',
    purpose: 'Explain how to send an item back',
    channels: ['email', 'chat', 'marketplace'],
    schema: ReturnInstructionsVariables,
    locales: {
      en: {
        subject: 'How to return your order {{ order.id }}',
        variants: [
          `Hi ${hi.en}, here is how to return your order {{ order.id }}:\n1. Print the prepaid label: {{ return_.label_url }}\n2. Pack the item in its original packaging.\n3. Drop it off before {{ return_.deadline | date: "long" }}{% if return_.address %} or send it to {{ return_.address }}{% endif %}.\n\nYour refund starts as soon as it reaches us.\n{{ agent.name }}, {{ brand.name }}`,
          `Hello ${hi.en}, returning order {{ order.id }} is easy: print this label {{ return_.label_url }}, pack the item, and hand it to the carrier by {{ return_.deadline | date: "long" }}. We refund as soon as it arrives.\n{{ agent.name }}`,
        ],
      },
      es: {
        subject: 'Cómo devolver tu pedido {{ order.id }}',
        variants: [
          `${hi.es}, así puedes devolver tu pedido {{ order.id }}:\n1. Imprime la etiqueta prepagada: {{ return_.label_url }}\n2. Empaqueta el artículo en su embalaje original.\n3. Entrégalo antes del {{ return_.deadline | date: "long" }}{% if return_.address %} o envíalo a {{ return_.address }}{% endif %}.\n\nEl reembolso empieza en cuanto lo recibamos.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      vi: {
        subject: 'Cách trả lại đơn hàng {{ order.id }}',
        variants: [
          `Xin chào ${hi.vi}, đây là cách trả lại đơn hàng {{ order.id }}:\n1. In nhãn gửi trả trả trước: {{ return_.label_url }}\n2. Đóng gói sản phẩm trong bao bì gốc.\n3. Gửi hàng trước ngày {{ return_.deadline | date: "long" }}{% if return_.address %} hoặc gửi đến {{ return_.address }}{% endif %}.\n\nChúng tôi sẽ hoàn tiền ngay khi nhận được hàng.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
    },
  },
  {
    id: 'refund_confirmation',
    purpose: 'Confirm a refund and when the money arrives',
    channels: ['email', 'chat', 'sms', 'marketplace'],
    schema: RefundConfirmationVariables,
    locales: {
      en: {
        subject: 'Your refund for order {{ order.id }}',
        variants: [
          `Hi ${hi.en}, we have refunded {{ refund.amount | money: refund.currency }} for order {{ order.id }}. It should appear on your statement within {{ refund.days }} business days.\n{{ agent.name }}, {{ brand.name }}`,
          `Hello ${hi.en}, your refund of {{ refund.amount | money: refund.currency }} (order {{ order.id }}) is on its way and usually takes {{ refund.days }} business days to show up.\n{{ agent.name }}`,
        ],
      },
      es: {
        subject: 'Tu reembolso del pedido {{ order.id }}',
        variants: [
          `${hi.es}, hemos reembolsado {{ refund.amount | money: refund.currency }} del pedido {{ order.id }}. Debería aparecer en tu cuenta en un plazo de {{ refund.days }} días hábiles.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      vi: {
        subject: 'Hoàn tiền cho đơn hàng {{ order.id }}',
        variants: [
          `Xin chào ${hi.vi}, chúng tôi đã hoàn {{ refund.amount | money: refund.currency }} cho đơn hàng {{ order.id }}. Khoản tiền sẽ xuất hiện trong tài khoản của bạn trong vòng {{ refund.days }} ngày làm việc.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
    },
  },
  {
    id: 'goodwill_offer',
    purpose: 'Offer a discount as a goodwill gesture after a bad experience',
    channels: ['email', 'chat', 'social', 'marketplace'],
    schema: GoodwillOfferVariables,
    locales: {
      en: {
        subject: 'A little something from {{ brand.name }}',
        variants: [
          `Hi ${hi.en}, we are sorry things did not go as they should. As a thank-you for your patience, here is {{ discount.percent }}% off your next order with the code {{ discount.code | upcase }} (valid until {{ discount.expires | date: "long" }}).\n{{ agent.name }}, {{ brand.name }}`,
          `Hello ${hi.en}, thank you for bearing with us. Please enjoy {{ discount.percent }}% off next time: use {{ discount.code | upcase }} before {{ discount.expires | date: "long" }}.\n{{ agent.name }}`,
        ],
      },
      es: {
        subject: 'Un detalle de {{ brand.name }}',
        variants: [
          `${hi.es}, sentimos que las cosas no salieran como debían. Para agradecer tu paciencia, tienes un {{ discount.percent }}% de descuento en tu próximo pedido con el código {{ discount.code | upcase }} (válido hasta el {{ discount.expires | date: "long" }}).\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      vi: {
        subject: 'Một món quà nhỏ từ {{ brand.name }}',
        variants: [
          `Xin chào ${hi.vi}, chúng tôi rất tiếc vì trải nghiệm chưa được như mong đợi. Để cảm ơn sự kiên nhẫn của bạn, bạn được giảm {{ discount.percent }}% cho đơn hàng tiếp theo với mã {{ discount.code | upcase }} (hiệu lực đến {{ discount.expires | date: "long" }}).\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
    },
  },
  {
    id: 'damaged_item',
    purpose: 'Apologise for an item that arrived damaged and offer two remedies',
    channels: ['email', 'chat', 'marketplace'],
    schema: DamagedItemVariables,
    locales: {
      en: {
        subject: 'About the damaged {{ item.name }} (order {{ order.id }})',
        variants: [
          `Hi ${hi.en}, we are very sorry your {{ item.name }} arrived damaged. You can choose what suits you best:\n- a replacement, shipped within {{ remedies.replacement_days }} days at no cost, or\n- a full refund of {{ remedies.refund_amount | money: remedies.currency }}.\nJust reply with your choice; there is no need to send the damaged item back.\n{{ agent.name }}, {{ brand.name }}`,
          `Hello ${hi.en}, we apologise for the damaged {{ item.name }} in order {{ order.id }}. We can send a new one within {{ remedies.replacement_days }} days, or refund {{ remedies.refund_amount | money: remedies.currency }} right away: which would you prefer?\n{{ agent.name }}`,
        ],
      },
      es: {
        subject: 'Sobre el artículo dañado {{ item.name }} (pedido {{ order.id }})',
        variants: [
          `${hi.es}, sentimos mucho que tu {{ item.name }} llegara dañado. Puedes elegir lo que prefieras:\n- un reemplazo, enviado en {{ remedies.replacement_days }} días sin coste, o\n- el reembolso completo de {{ remedies.refund_amount | money: remedies.currency }}.\nResponde con tu elección; no hace falta devolver el artículo dañado.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      vi: {
        subject: 'Về sản phẩm {{ item.name }} bị hư hỏng (đơn {{ order.id }})',
        variants: [
          `Xin chào ${hi.vi}, chúng tôi rất xin lỗi vì {{ item.name }} đến tay bạn bị hư hỏng. Bạn có thể chọn:\n- đổi sản phẩm mới, gửi trong vòng {{ remedies.replacement_days }} ngày miễn phí, hoặc\n- hoàn tiền toàn bộ {{ remedies.refund_amount | money: remedies.currency }}.\nBạn chỉ cần trả lời với lựa chọn của mình; không cần gửi lại sản phẩm hư hỏng.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
    },
  },
  {
    id: 'survey_request',
    purpose: 'Ask for a rating after a ticket is solved',
    channels: ['email', 'chat', 'sms'],
    schema: SurveyRequestVariables,
    locales: {
      en: {
        subject: 'How did we do? [{{ ticket.id }}]',
        variants: [
          `Hi ${hi.en}, your request {{ ticket.id }} is solved. Would you rate our help? It takes ten seconds: {{ survey.url }}`,
          `Hello ${hi.en}, how did {{ brand.name }} do on {{ ticket.id }}? Tell us here: {{ survey.url }}`,
        ],
      },
      es: {
        subject: '¿Qué tal lo hicimos? [{{ ticket.id }}]',
        variants: [
          `${hi.es}, tu solicitud {{ ticket.id }} está resuelta. ¿Nos valoras? Son diez segundos: {{ survey.url }}`,
        ],
      },
      vi: {
        subject: 'Bạn đánh giá thế nào? [{{ ticket.id }}]',
        variants: [
          `Xin chào ${hi.vi}, yêu cầu {{ ticket.id }} của bạn đã được giải quyết. Bạn có thể đánh giá sự hỗ trợ của chúng tôi không? Chỉ mất mười giây: {{ survey.url }}`,
        ],
      },
    },
  },
  {
    id: 'follow_up',
    purpose: 'Check in after a resolution that everything is fine',
    channels: ['email', 'chat', 'sms', 'marketplace'],
    schema: FollowUpVariables,
    locales: {
      en: {
        subject: 'Checking in on {{ ticket.id }}',
        variants: [
          `Hi ${hi.en}, {{ agent.name }} from {{ brand.name }} here. I wanted to make sure everything is fine since we solved {{ ticket.id }}. If anything is still not right, just reply to this message.`,
          `Hello ${hi.en}, just checking that all is well after {{ ticket.id }}. Reply any time if you need us.\n{{ agent.name }}, {{ brand.name }}`,
        ],
      },
      es: {
        subject: 'Seguimiento de {{ ticket.id }}',
        variants: [
          `${hi.es}, soy {{ agent.name }} de {{ brand.name }}. Quería asegurarme de que todo va bien desde que resolvimos {{ ticket.id }}. Si algo no está bien, responde a este mensaje.`,
        ],
      },
      vi: {
        subject: 'Hỏi thăm về {{ ticket.id }}',
        variants: [
          `Xin chào ${hi.vi}, tôi là {{ agent.name }} từ {{ brand.name }}. Tôi muốn chắc chắn rằng mọi thứ đều ổn kể từ khi chúng tôi giải quyết {{ ticket.id }}. Nếu có gì chưa ổn, bạn chỉ cần trả lời tin nhắn này.`,
        ],
      },
    },
  },
  {
    id: 'bot_did_this_help',
    purpose: "Close a bot's answer: say it is automatic and ask whether it solved the question",
    channels: ['email', 'chat', 'social', 'marketplace', 'sms', 'web_form'],
    schema: BotMessageVariables,
    locales: {
      en: {
        variants: [
          'This is an automatic answer from the {{ brand.name }} assistant. Did it solve your question? Reply "yes", or "no" and a person from our team will take over.',
        ],
      },
      es: {
        variants: [
          'Esta es una respuesta automática del asistente de {{ brand.name }}. ¿Resolvió tu pregunta? Responde "sí", o "no" y una persona de nuestro equipo te atenderá.',
        ],
      },
      vi: {
        variants: [
          'Đây là câu trả lời tự động từ trợ lý của {{ brand.name }}. Câu trả lời này có giải quyết được câu hỏi của bạn không? Hãy trả lời "có", hoặc "không" và một nhân viên của chúng tôi sẽ hỗ trợ bạn.',
        ],
      },
    },
  },
  {
    id: 'bot_handover',
    purpose: 'Tell the customer the bot has passed the conversation to a person',
    channels: ['email', 'chat', 'social', 'marketplace', 'sms', 'web_form'],
    schema: BotMessageVariables,
    locales: {
      en: {
        variants: [
          'Thanks, I have passed your message to a person on the {{ brand.name }} team{% if reply_by %}, who will reply by {{ reply_by }}{% endif %}.',
        ],
      },
      es: {
        variants: [
          'Gracias, he pasado tu mensaje a una persona del equipo de {{ brand.name }}{% if reply_by %}, que te responderá antes de {{ reply_by }}{% endif %}.',
        ],
      },
      vi: {
        variants: [
          'Cảm ơn bạn, tôi đã chuyển tin nhắn của bạn đến một nhân viên của {{ brand.name }}{% if reply_by %}, người sẽ phản hồi trước {{ reply_by }}{% endif %}.',
        ],
      },
    },
  },
];
