const { orderTotal } = require("order-utils");

exports.handler = async (event) => {
    const charged = (event.Records ?? []).map((record) => {
        const order = JSON.parse(record.body);
        return { id: order.id, amount: orderTotal(order.items ?? []) };
    });
    return { charged };
};
