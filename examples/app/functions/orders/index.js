const { orderTotal } = require("order-utils");

exports.handler = async (event) => {
    const order = JSON.parse(event.body ?? "{}");
    return { statusCode: 200, body: JSON.stringify({ id: order.id, total: orderTotal(order.items ?? []) }) };
};
